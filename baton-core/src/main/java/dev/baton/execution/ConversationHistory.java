package dev.baton.execution;

import dev.baton.agent.AgentInvocation.Turn;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The earlier turns an execution continues, found by following {@code previousExecutionId} links in
 * the store: oldest first, at most {@link #MAX_TURNS} turns and {@link #MAX_BYTES} of text (the
 * most recent ones are kept).
 */
final class ConversationHistory {
  static final int MAX_TURNS = 20;
  static final int MAX_BYTES = 256 * 1024;

  private ConversationHistory() {}

  static List<Turn> of(Execution execution, ExecutionStore store) {
    Deque<Turn> turns = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    int bytes = 0;
    String previousId = execution.spec().previousExecutionId();
    while (previousId != null && turns.size() < MAX_TURNS && seen.add(previousId)) {
      Optional<Execution> previous = store.find(previousId);
      if (previous.isEmpty() || previous.get().phase() != ExecutionPhase.COMPLETED) {
        break;
      }
      Execution turn = previous.get();
      String output = turn.status().output() == null ? "" : turn.status().output();
      bytes += utf8(turn.spec().message()) + utf8(output);
      if (bytes > MAX_BYTES) {
        break;
      }
      turns.addFirst(new Turn(turn.id(), turn.spec().message(), output));
      previousId = turn.spec().previousExecutionId();
    }
    return List.copyOf(turns);
  }

  private static int utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}

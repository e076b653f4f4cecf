package dev.baton.cli.exec;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.WatchExecutionRequest;
import dev.baton.api.v1.WatchExecutionResponse;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.client.BatonClient;
import dev.baton.cli.client.CommandFailure;
import dev.baton.cli.output.ExecutionPrinter;
import java.util.Iterator;

/**
 * Follows an execution's Watch stream until it ends; shared by {@code watch} and {@code create}.
 */
final class ExecutionWatch {

  private ExecutionWatch() {}

  /**
   * Prints every update and progress event, then the result.
   *
   * @return {@link ExitCodes#OK} when the execution completed, {@link
   *     ExitCodes#EXECUTION_UNSUCCESSFUL} when it failed or was cancelled
   * @throws CommandFailure when the stream ends before the execution does
   */
  static int follow(BatonClient client, String id, ExecutionPrinter printer) {
    Iterator<WatchExecutionResponse> updates =
        client.executionStreams().watch(WatchExecutionRequest.newBuilder().setId(id).build());
    AgentExecution last = null;
    while (updates.hasNext()) {
      WatchExecutionResponse update = updates.next();
      if (update.hasEvent()) {
        printer.event(update.getEvent());
        continue;
      }
      last = update.getExecution();
      printer.update(last);
      ExecutionPhase phase = last.getStatus().getPhase();
      if (isTerminal(phase)) {
        printer.result(last);
        // Returning closes the channel, which cancels the stream should the server keep it open.
        return phase == ExecutionPhase.COMPLETED ? ExitCodes.OK : ExitCodes.EXECUTION_UNSUCCESSFUL;
      }
    }
    throw new CommandFailure(
        ExitCodes.ERROR,
        "the server ended the watch of execution "
            + id
            + " before it finished (last phase seen: "
            + (last == null ? "none" : last.getStatus().getPhase().name())
            + "); run `baton exec watch "
            + id
            + "` again");
  }

  static boolean isTerminal(ExecutionPhase phase) {
    return phase == ExecutionPhase.COMPLETED
        || phase == ExecutionPhase.FAILED
        || phase == ExecutionPhase.CANCELLED;
  }
}

package dev.baton.agent;

import dev.baton.execution.ExecutionEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** A run context that records heartbeats and reports cancellation once a condition holds. */
public final class TestRunContext implements RunContext {
  private final Instant deadline;
  private final BooleanSupplier cancelWhen;
  private final List<String> heartbeats = new CopyOnWriteArrayList<>();
  private final List<ExecutionEvent> events = new CopyOnWriteArrayList<>();

  private TestRunContext(Instant deadline, BooleanSupplier cancelWhen) {
    this.deadline = deadline;
    this.cancelWhen = cancelWhen;
  }

  /** A context whose deadline is {@code timeout} from now and that never cancels. */
  public static TestRunContext withTimeout(Duration timeout) {
    return new TestRunContext(Instant.now().plus(timeout), () -> false);
  }

  /**
   * This context, but its heartbeat throws {@link AgentCancelledException} once the condition
   * holds.
   */
  public TestRunContext cancelWhen(BooleanSupplier condition) {
    return new TestRunContext(deadline, condition);
  }

  @Override
  public Instant deadline() {
    return deadline;
  }

  @Override
  public void heartbeat(String progress) {
    heartbeats.add(String.valueOf(progress));
    if (cancelWhen.getAsBoolean()) {
      throw new AgentCancelledException("cancelled by the test", null);
    }
  }

  @Override
  public void event(ExecutionEvent.Type type, String text, String data) {
    events.add(ExecutionEvent.of(Instant.now(), type, text, data));
  }

  /** The events reported, unbatched and uncapped. */
  public List<ExecutionEvent> events() {
    return events;
  }

  public List<String> heartbeats() {
    return heartbeats;
  }
}

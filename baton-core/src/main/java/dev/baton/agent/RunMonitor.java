package dev.baton.agent;

import java.util.Optional;

/**
 * Follows agent runs from outside the runner (e.g. the caller heartbeat relay): receives their
 * progress and may ask a run to stop.
 */
public interface RunMonitor {

  /** A monitor that watches nothing. */
  RunMonitor NONE = invocation -> Handle.NONE;

  Handle open(AgentInvocation invocation);

  /** Why a run should stop; the execution ends CANCELLED with this error. */
  record StopRequest(String errorType, String reason) {}

  /** One run as the monitor sees it; closed when the run ends. */
  interface Handle extends AutoCloseable {
    Handle NONE =
        new Handle() {
          @Override
          public void progress(String progress) {}

          @Override
          public Optional<StopRequest> stopRequested() {
            return Optional.empty();
          }

          @Override
          public void close() {}
        };

    void progress(String progress);

    Optional<StopRequest> stopRequested();

    @Override
    void close();
  }
}

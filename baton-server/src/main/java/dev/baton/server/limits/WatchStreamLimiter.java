package dev.baton.server.limits;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Caps the Watch streams each caller ({@link LimitKey}) holds open. One more gets
 * RESOURCE_EXHAUSTED; a slot frees when its stream ends, fails or is cancelled by the client. Must
 * run after authentication.
 */
public final class WatchStreamLimiter implements ServerInterceptor {
  static final String WATCH = "baton.v1.AgentExecutionService/Watch";

  private final int maxPerCaller;
  private final Map<String, Integer> open = new ConcurrentHashMap<>();

  public WatchStreamLimiter(int maxPerCaller) {
    if (maxPerCaller < 1) {
      throw new IllegalArgumentException(
          "max Watch streams must be 1 or more, got " + maxPerCaller);
    }
    this.maxPerCaller = maxPerCaller;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (!call.getMethodDescriptor().getFullMethodName().equals(WATCH)) {
      return next.startCall(call, headers);
    }
    LimitKey key = LimitKey.of(call);
    if (!tryAcquire(key.id())) {
      call.close(
          Status.RESOURCE_EXHAUSTED.withDescription(
              key.label()
                  + " already has "
                  + maxPerCaller
                  + " Watch streams open, the most allowed (--max-watch-streams); close one or"
                  + " retry after a stream ends"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Slot slot = new Slot(key.id());
    ServerCall<Q, R> releasing =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            slot.release();
            super.close(status, trailers);
          }
        };
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(releasing, headers);
    } catch (RuntimeException e) {
      slot.release();
      throw e;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        slot.release();
        super.onCancel();
      }

      @Override
      public void onComplete() {
        slot.release();
        super.onComplete();
      }
    };
  }

  /** Streams open for a caller now; for tests and diagnostics. */
  int openStreams(String keyId) {
    return open.getOrDefault(keyId, 0);
  }

  private boolean tryAcquire(String id) {
    boolean[] acquired = new boolean[1];
    open.compute(
        id,
        (ignored, count) -> {
          int current = count == null ? 0 : count;
          acquired[0] = current < maxPerCaller;
          return acquired[0] ? current + 1 : count;
        });
    return acquired[0];
  }

  private void release(String id) {
    open.computeIfPresent(id, (ignored, count) -> count <= 1 ? null : count - 1);
  }

  /** One stream's claim, released exactly once whichever way the stream ends. */
  private final class Slot {
    private final String id;
    private final AtomicBoolean released = new AtomicBoolean();

    Slot(String id) {
      this.id = id;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        WatchStreamLimiter.this.release(id);
      }
    }
  }
}

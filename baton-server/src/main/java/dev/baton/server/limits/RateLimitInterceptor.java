package dev.baton.server.limits;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits each caller ({@link LimitKey}) to a request rate with a burst, by token bucket. A call
 * over the limit ends at once with RESOURCE_EXHAUSTED, {@code retry after N ms} in its message and
 * a {@code google.rpc.RetryInfo} in its status details. Must run after authentication, so that the
 * caller's API key is known.
 */
public final class RateLimitInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(RateLimitInterceptor.class);

  /** Above this many callers, idle (full) buckets are forgotten. */
  private static final int SWEEP_ABOVE = 10_000;

  private final double ratePerSecond;
  private final int burst;
  private final LongSupplier nanoTime;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  public RateLimitInterceptor(double ratePerSecond, int burst) {
    this(ratePerSecond, burst, System::nanoTime);
  }

  RateLimitInterceptor(double ratePerSecond, int burst, LongSupplier nanoTime) {
    if (ratePerSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException(
          "a rate limit needs a positive rate and a burst of 1 or more, got "
              + ratePerSecond
              + "/s burst "
              + burst);
    }
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (LimitKey.isExempt(method)) {
      return next.startCall(call, headers);
    }
    LimitKey key = LimitKey.of(call);
    long now = nanoTime.getAsLong();
    long waitNanos = bucket(key.id(), now).tryTake(now);
    if (waitNanos == 0) {
      return next.startCall(call, headers);
    }
    long retryMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999));
    log.debug("rate limit exceeded caller={} method={}", key.label(), method);
    StatusRuntimeException rejection = rejection(key, retryMillis);
    call.close(rejection.getStatus(), rejection.getTrailers());
    return new ServerCall.Listener<>() {};
  }

  private StatusRuntimeException rejection(LimitKey key, long retryMillis) {
    String message =
        "rate limit of "
            + format(ratePerSecond)
            + " requests/s (burst "
            + burst
            + ") exceeded for "
            + key.label()
            + "; retry after "
            + retryMillis
            + " ms";
    RetryInfo retry =
        RetryInfo.newBuilder()
            .setRetryDelay(
                Duration.newBuilder()
                    .setSeconds(retryMillis / 1000)
                    .setNanos((int) (retryMillis % 1000) * 1_000_000))
            .build();
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
            .setMessage(message)
            .addDetails(Any.pack(retry))
            .build());
  }

  private TokenBucket bucket(String id, long now) {
    TokenBucket bucket = buckets.get(id);
    if (bucket != null) {
      return bucket;
    }
    if (buckets.size() >= SWEEP_ABOVE) {
      buckets.values().removeIf(b -> b.isFull(now));
    }
    return buckets.computeIfAbsent(id, ignored -> new TokenBucket(ratePerSecond, burst, now));
  }

  private static String format(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}

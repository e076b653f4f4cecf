package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A rate-limited Create is retried no sooner than the server's RetryInfo asks. */
class RetryDelayTest {

  @Test
  void readsTheDelayOfRetryInfo() {
    var limited =
        StatusProto.toStatusRuntimeException(
            com.google.rpc.Status.newBuilder()
                .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
                .setMessage("rate limit; retry after 1250 ms")
                .addDetails(
                    Any.pack(
                        RetryInfo.newBuilder()
                            .setRetryDelay(
                                com.google.protobuf.Duration.newBuilder()
                                    .setSeconds(1)
                                    .setNanos(250_000_000))
                            .build()))
                .build());

    assertThat(AgentCallActivitiesImpl.retryDelay(limited)).isEqualTo(Duration.ofMillis(1250));
  }

  @Test
  void noDetailsMeansNoDelay() {
    assertThat(AgentCallActivitiesImpl.retryDelay(Status.RESOURCE_EXHAUSTED.asRuntimeException()))
        .isNull();
  }
}

package dev.baton.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class GrpcErrorsTest {
  @Test
  void aStoreWithoutConnectionsIsUnavailableSayingWhy() {
    StatusRuntimeException poolTimedOut =
        GrpcErrors.toStatus(
            new IllegalStateException(
                "query failed",
                new SQLTransientConnectionException(
                    "baton-postgresql - Connection is not available, request timed out after"
                        + " 5000ms")));
    StatusRuntimeException refused =
        GrpcErrors.toStatus(
            new RuntimeException(
                new SQLException("Connection to 127.0.0.1:5432 refused", "08001")));

    assertThat(poolTimedOut.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(poolTimedOut.getStatus().getDescription())
        .startsWith("the store is unreachable: baton-postgresql - Connection is not available");
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(refused.getStatus().getDescription())
        .isEqualTo("the store is unreachable: Connection to 127.0.0.1:5432 refused");
  }

  @Test
  void otherDatabaseErrorsStayInternal() {
    StatusRuntimeException constraint =
        GrpcErrors.toStatus(new RuntimeException(new SQLException("duplicate key value", "23505")));

    assertThat(constraint.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(constraint.getStatus().getDescription()).doesNotContain("duplicate key");
  }
}

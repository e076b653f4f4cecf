package dev.baton.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cli.Cli;
import dev.baton.cli.CliResult;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.FakeBatonServer;
import dev.baton.cli.FakeExecutionService;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** How failed calls become exit codes and messages, the same for every client command. */
class ClientErrorsTest {

  private final FakeBatonServer server = FakeBatonServer.start();

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void serverDownExitsWith5NamingTheAddress() {
    String address = server.address();
    server.close();

    CliResult result = Cli.run("exec", "get", "exec-1", "--address", address);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .startsWith("error: the Baton server at " + address + " is unavailable")
        .contains("`baton server` is running")
        .doesNotContain("\tat ");
    assertThat(result.err().lines()).hasSize(1);
  }

  @Test
  void silentServerExitsWith5AfterTheRpcTimeout() {
    CliResult result =
        Cli.run(
            "exec",
            "get",
            FakeExecutionService.SILENT_ID,
            "--address",
            server.address(),
            "--rpc-timeout",
            "300ms");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(result.err())
        .isEqualTo(
            "error: the Baton server at "
                + server.address()
                + " did not answer within 300ms; check that `baton server` is running there,"
                + " or raise --rpc-timeout"
                + "\n");
  }

  @Test
  void notFoundExitsWith3WithTheServersMessage() {
    CliResult result = Cli.run("exec", "get", "nope", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(result.err()).isEqualTo("error: execution nope not found" + "\n");
  }

  @Test
  void invalidArgumentExitsWith6WithTheServersMessage() {
    server.executions().failWith(Status.INVALID_ARGUMENT.withDescription("id must not be blank"));

    CliResult result = Cli.run("exec", "cancel", " ", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_ARGUMENT);
    assertThat(result.err())
        .isEqualTo("error: the server rejected the request: id must not be blank" + "\n");
  }

  @Test
  void callDroppedByTheServerExitsWith5AsUnavailable() {
    server
        .executions()
        .failWith(Status.CANCELLED.withDescription("RST_STREAM closed stream. HTTP/2 error code"));

    CliResult result = Cli.run("exec", "get", "exec-1", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(result.err())
        .startsWith("error: the Baton server at " + server.address() + " dropped the call (")
        .contains("`baton server` is running");
  }

  @Test
  void aServerWhoseStoreIsDownExitsWith5SayingWhyNotThatItIsNotRunning() {
    server
        .executions()
        .failWith(
            Status.UNAVAILABLE.withDescription(
                "the store is unreachable: Connection is not available, request timed out after"
                    + " 5000ms"));

    CliResult result = Cli.run("exec", "list", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(result.err())
        .isEqualTo(
            "error: the Baton server at "
                + server.address()
                + " cannot serve the request now: the store is unreachable: Connection is not"
                + " available, request timed out after 5000ms; retry later\n");
  }

  @Test
  void throttledRequestExitsWith5SayingToRetryLater() {
    server
        .executions()
        .failWith(Status.RESOURCE_EXHAUSTED.withDescription("rate limit exceeded; retry in 1s"));

    CliResult result = Cli.run("exec", "list", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(result.err())
        .isEqualTo(
            "error: the Baton server at "
                + server.address()
                + " is not taking this request now (rate limit exceeded; retry in 1s);"
                + " retry later\n");
  }

  @ParameterizedTest
  @EnumSource(
      value = Status.Code.class,
      names = {"FAILED_PRECONDITION", "ALREADY_EXISTS", "ABORTED"})
  void refusalInTheCurrentStateExitsWith7(Status.Code code) {
    server.executions().failWith(Status.fromCode(code).withDescription("not in this state"));

    CliResult result = Cli.run("exec", "cancel", "exec-1", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(result.err()).isEqualTo("error: the server refused: not in this state\n");
  }

  @Test
  void permissionDeniedExitsWith8() {
    server
        .executions()
        .failWith(Status.PERMISSION_DENIED.withDescription("API key ci has scope read"));

    CliResult result = Cli.run("exec", "cancel", "exec-1", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_ALLOWED);
    assertThat(result.err()).isEqualTo("error: the server refused: API key ci has scope read\n");
  }

  @Test
  void otherServerErrorsExitWith1() {
    server.executions().failWith(Status.INTERNAL.withDescription("database is locked"));

    CliResult result = Cli.run("exec", "list", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
    assertThat(result.err())
        .isEqualTo("error: the server failed the request: INTERNAL: database is locked" + "\n");
  }

  @Test
  void verbosePrintsTheStackTrace() {
    CliResult result = Cli.run("exec", "get", "nope", "--address", server.address(), "--verbose");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(result.err())
        .startsWith("error: execution nope not found")
        .contains("io.grpc.StatusRuntimeException: NOT_FOUND", "\tat ");
  }
}

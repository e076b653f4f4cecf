package dev.baton.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cli.Cli;
import dev.baton.cli.CliResult;
import dev.baton.cli.ExitCodes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --address} is checked before connecting, and a failed connection reads as one line. */
class AddressOptionTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"garbage", "127.0.0.1", "", "[::1", "http://127.0.0.1:34769", "::1:7234", "h :1"})
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void malformedAddressIsAUsageErrorWithAnExample(String address) {
    CliResult result = Cli.run("exec", "get", "exec-1", "--address", address);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .startsWith(
            "Invalid value for option '--address': expected HOST:PORT (e.g. 127.0.0.1:7234), got '"
                + address
                + "'\n")
        .doesNotContain("\tat ", "Exception");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:99999", "127.0.0.1:0", "127.0.0.1:-1", "127.0.0.1:x"})
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void portOutOfRangeIsAUsageErrorBeforeConnecting(String address) {
    CliResult result = Cli.run("exec", "get", "exec-1", "--address", address);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .startsWith(
            "Invalid value for option '--address': expected a port from 1 to 65535 after HOST:,"
                + " got '"
                + address
                + "'\n");
  }

  @Test
  void bracketedIpv6AddressIsAccepted() {
    CliResult result =
        Cli.run("exec", "get", "exec-1", "--address", "[::1]:1", "--rpc-timeout", "2s");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(result.err()).startsWith("error: the Baton server at [::1]:1 is unavailable");
  }

  @Test
  void unknownHostIsOneLineWithoutGrpcWarnings() {
    List<LogRecord> logged = new CopyOnWriteArrayList<>();
    Handler recorder = new Recorder(logged);
    Logger grpc = Logger.getLogger("io.grpc");
    grpc.addHandler(recorder);
    try {
      CliResult result =
          Cli.run(
              "exec", "get", "exec-1", "--address", "nohost.invalid:7234", "--rpc-timeout", "5s");

      assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
      assertThat(result.err()).startsWith("error: the Baton server at nohost.invalid:7234");
      assertThat(result.err().lines()).hasSize(1);
      assertThat(logged).extracting(LogRecord::getMessage).isEmpty();
    } finally {
      grpc.removeHandler(recorder);
    }
  }

  private static final class Recorder extends Handler {
    private final List<LogRecord> records;

    Recorder(List<LogRecord> records) {
      this.records = records;
    }

    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}

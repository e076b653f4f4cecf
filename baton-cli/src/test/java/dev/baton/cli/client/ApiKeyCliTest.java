package dev.baton.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cli.Cli;
import dev.baton.cli.CliResult;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.RealBatonServer;
import dev.baton.server.auth.ApiKey;
import dev.baton.server.auth.ApiKeys;
import dev.baton.server.auth.AuthSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a server started with {@code --auth api-key}. */
class ApiKeyCliTest {
  static final String KEY = ApiKey.generateKey();

  @TempDir static Path home;
  static RealBatonServer server;

  @BeforeAll
  static void start() {
    server =
        RealBatonServer.start(
            home,
            Map.of(),
            config ->
                config.auth(
                    AuthSettings.apiKeys(ApiKeys.load(null, "cli:read:" + ApiKey.sha256Hex(KEY)))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void commandWithKeyWorks() {
    CliResult result = Cli.run("agent", "list", "--address", server.address(), "--api-key", KEY);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out()).contains("shout");
  }

  @Test
  void commandWithoutKeySaysHowToSendOne() {
    CliResult result = Cli.run("agent", "list", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_ALLOWED);
    assertThat(result.err())
        .isEqualTo(
            "error: the Baton server at "
                + server.address()
                + " requires an API key; set BATON_API_KEY (or pass --api-key)\n");
  }

  @Test
  void commandWithWrongKeySaysItIsNotAccepted() {
    CliResult result = Cli.run("agent", "list", "--address", server.address(), "--api-key", "nope");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_ALLOWED);
    assertThat(result.err()).contains("does not accept this API key");
  }

  @Test
  void readKeyCannotCreate() {
    CliResult result =
        Cli.run(
            "exec",
            "create",
            "--agent",
            "shout",
            "--message",
            "hi",
            "--address",
            server.address(),
            "--api-key",
            KEY);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_ALLOWED);
    assertThat(result.err()).contains("has scope read, which does not allow");
  }
}

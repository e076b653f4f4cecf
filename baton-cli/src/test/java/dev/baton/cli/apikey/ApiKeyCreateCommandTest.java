package dev.baton.cli.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cli.Cli;
import dev.baton.cli.CliResult;
import dev.baton.cli.ExitCodes;
import dev.baton.server.auth.ApiKey;
import dev.baton.server.auth.ApiKeyScope;
import dev.baton.server.auth.ApiKeys;
import org.junit.jupiter.api.Test;

class ApiKeyCreateCommandTest {

  @Test
  void printsKeyOnceAndTheLineTheServerAccepts() {
    CliResult result = Cli.run("api-key", "create", "ci", "--scope", "write");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    String[] lines = result.out().split("\n");
    String key = lines[1];
    String entry = lines[3];
    assertThat(entry).doesNotContain(key).startsWith("ci:write:");
    assertThat(ApiKeys.load(null, entry).find(key)).map(ApiKey::scope).contains(ApiKeyScope.WRITE);
  }

  @Test
  void unknownScopeIsAUsageError() {
    CliResult result = Cli.run("api-key", "create", "ci", "--scope", "root");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("expected read, write or admin");
  }
}

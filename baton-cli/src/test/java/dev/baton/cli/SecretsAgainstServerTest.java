package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret reaches a command agent's process through {@code ${secret:NAME}} and nothing else: not
 * the store, not the API, not the CLI's output.
 */
class SecretsAgainstServerTest {
  private static final String SECRET = "sk-live-5ecret-" + "a1b2c3d4e5f6";
  private static final String DIGEST =
      """
      name: digest
      description: Prints the SHA-256 of $TOKEN
      runner: command
      timeout: 30s
      settings:
        command: [sh, -c, "echo 'hashing the token' >&2; printf '%s' \\"$TOKEN\\" | sha256sum | cut -d' ' -f1"]
        env:
          TOKEN: ${secret:API_TOKEN}
      """;

  @TempDir static Path home;
  @TempDir static Path secrets;

  private static RealBatonServer server;

  @BeforeAll
  static void startServer() throws IOException {
    Path file = secrets.resolve("secrets");
    Files.writeString(file, "API_TOKEN=" + SECRET + "\n");
    server =
        RealBatonServer.start(
            home, Map.of("digest.yaml", DIGEST), builder -> builder.secretsFile(file));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theAgentGetsTheSecretWhichIsStoredNowhere() throws Exception {
    CliResult created = baton("exec", "create", "--agent", "digest", "--message", "x", "--watch");
    CliResult listed = baton("exec", "list", "-o", "json");

    assertThat(created.exitCode()).as(created.err()).isEqualTo(ExitCodes.OK);
    assertThat(created.out()).contains(sha256(SECRET)).doesNotContain(SECRET);
    assertThat(listed.out()).contains(sha256(SECRET)).doesNotContain(SECRET);
    assertThat(created.err() + listed.err()).doesNotContain(SECRET);
    assertThat(filesUnder(home)).contains("${secret:API_TOKEN}").doesNotContain(SECRET);
  }

  @Test
  void theEmbeddedServerCreatedAnOwnerOnlyTokenKeyFile() throws IOException {
    Path keys = home.resolve("token-keys");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(keys)).containsPattern("(?m)^k1:[A-Za-z0-9+/=]{44}$");
  }

  private static CliResult baton(String... args) {
    String[] withAddress =
        Stream.concat(Stream.of(args), Stream.of("--address", server.address()))
            .toArray(String[]::new);
    return Cli.run(withAddress);
  }

  /** Every file under {@code dir} (database, WAL, agents), byte for char. */
  private static String filesUnder(Path dir) throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).append('\n');
      }
    }
    return all.toString();
  }

  private static String sha256(String value) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
  }
}

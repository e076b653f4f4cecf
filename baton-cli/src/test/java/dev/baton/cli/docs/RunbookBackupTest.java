package dev.baton.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.cli.Cli;
import dev.baton.cli.CliResult;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.RealBatonServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook's backup and restore commands, run exactly as written (the {@code bash} blocks marked
 * {@code <!-- runbook-test: ... -->}): a backup of a live server's store, a restore, and a new
 * server on the restored copy that still knows the execution made before the backup.
 */
class RunbookBackupTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern JDBC_POSTGRES =
      Pattern.compile("jdbc:postgresql://([^/?]+)/([^?]+)(?:\\?(.*))?");

  @TempDir Path dir;

  @Test
  void sqliteBackupOfALiveServerRestoresItsExecutions() throws IOException {
    Bash.requireTools("sqlite3", "sqlite3");
    Path home = dir.resolve("home");
    Path backups = Files.createDirectories(dir.resolve("backups"));
    Path keyBackups = Files.createDirectories(dir.resolve("key-backups"));
    Path restoredHome = dir.resolve("restored-home");
    String id;
    try (RealBatonServer server = RealBatonServer.start(home, Map.of())) {
      id = completedExecution(server);
      // The server keeps SQLite in WAL mode: what it wrote is still in the write-ahead log.
      assertThat(home.resolve("baton.db-wal")).isNotEmptyFile();

      String output =
          Bash.run(
              MarkdownDoc.RUNBOOK.markedBlock("sqlite-backup"),
              Map.of(
                  "BATON_HOME", home.toString(),
                  "BACKUP_DIR", backups.toString(),
                  "KEY_BACKUP_DIR", keyBackups.toString()),
              dir);

      assertThat(output.strip()).isEqualTo("ok");
    }
    Files.createDirectories(restoredHome);
    // A stale log of another database beside the restored file must not be replayed onto it.
    Files.writeString(restoredHome.resolve("baton.db-wal"), "stale");
    Bash.run(
        MarkdownDoc.RUNBOOK.markedBlock("sqlite-restore"),
        Map.of(
            "BATON_HOME", restoredHome.toString(),
            "BACKUP_DIR", backups.toString(),
            "KEY_BACKUP_DIR", keyBackups.toString()),
        dir);

    assertThat(restoredHome.resolve("token-keys"))
        .hasSameBinaryContentAs(home.resolve("token-keys"));
    try (RealBatonServer restored = RealBatonServer.start(restoredHome, Map.of())) {
      assertRestored(restored, id);
    }
  }

  @Test
  void postgresDumpOfALiveServerRestoresIntoAnEmptyDatabase() throws Exception {
    String serverUrl = System.getenv("BATON_TEST_POSTGRES_URL");
    if (serverUrl == null || serverUrl.isBlank()) {
      String hint =
          "BATON_TEST_POSTGRES_URL is not set; start a server with `export"
              + " BATON_TEST_POSTGRES_URL=$(.ci/start-postgres.sh)`";
      if ("true".equalsIgnoreCase(System.getenv("BATON_REQUIRE_POSTGRES"))) {
        fail("BATON_REQUIRE_POSTGRES=true but " + hint);
      }
      org.junit.jupiter.api.Assumptions.abort("skipping the PostgreSQL backup test: " + hint);
    }
    Bash.requireTools("postgresql-client", "pg_dump", "pg_restore");
    String suffix = UUID.randomUUID().toString().replace("-", "").toLowerCase(Locale.ROOT);
    String original = "baton_backup_" + suffix;
    String restoredDb = "baton_restored_" + suffix;
    Path backups = Files.createDirectories(dir.resolve("backups"));
    execute(serverUrl, "CREATE DATABASE " + original);
    execute(serverUrl, "CREATE DATABASE " + restoredDb);
    try {
      String id;
      try (RealBatonServer server =
          RealBatonServer.start(
              dir.resolve("home"), Map.of(), b -> b.databaseUrl(jdbc(serverUrl, original)))) {
        id = completedExecution(server);
        Bash.run(
            MarkdownDoc.RUNBOOK.markedBlock("postgres-backup"),
            Map.of("DATABASE", libpq(serverUrl, original), "BACKUP_DIR", backups.toString()),
            dir);
      }
      Bash.run(
          MarkdownDoc.RUNBOOK.markedBlock("postgres-restore"),
          Map.of("DATABASE", libpq(serverUrl, restoredDb), "BACKUP_DIR", backups.toString()),
          dir);

      try (RealBatonServer restored =
          RealBatonServer.start(
              dir.resolve("restored-home"),
              Map.of(),
              b -> b.databaseUrl(jdbc(serverUrl, restoredDb)))) {
        assertRestored(restored, id);
      }
    } finally {
      execute(serverUrl, "DROP DATABASE IF EXISTS " + original + " WITH (FORCE)");
      execute(serverUrl, "DROP DATABASE IF EXISTS " + restoredDb + " WITH (FORCE)");
    }
  }

  /** Runs the shout agent to its end through the CLI; returns the execution's id. */
  private static String completedExecution(RealBatonServer server) {
    CliResult created =
        Cli.run(
            "exec",
            "create",
            "--agent",
            "shout",
            "--message",
            "before the backup",
            "--watch",
            "-o",
            "json",
            "--address",
            server.address());
    assertThat(created.exitCode()).as(created.err()).isEqualTo(ExitCodes.OK);
    return json(created.out().lines().findFirst().orElseThrow()).at("/metadata/id").asText();
  }

  private static void assertRestored(RealBatonServer server, String id) {
    JsonNode execution =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> Cli.run("exec", "get", id, "-o", "json", "--address", server.address()),
                result -> result.exitCode() == ExitCodes.OK)
            .out()
            .transform(RunbookBackupTest::json);
    assertThat(execution.at("/status/phase").asText()).isEqualTo("COMPLETED");
    assertThat(execution.at("/status/output").asText()).isEqualTo("BEFORE THE BACKUP");
  }

  /** The JDBC URL of another database on the server of {@code serverUrl}. */
  private static String jdbc(String serverUrl, String database) {
    Matcher url = parse(serverUrl);
    return "jdbc:postgresql://"
        + url.group(1)
        + "/"
        + database
        + (url.group(3) == null ? "" : "?" + url.group(3));
  }

  /** The libpq URL ({@code postgresql://user@host:port/db}) the runbook's commands take. */
  private static String libpq(String serverUrl, String database) {
    Matcher url = parse(serverUrl);
    Matcher user = Pattern.compile("(?:^|&)user=([^&]+)").matcher(String.valueOf(url.group(3)));
    return "postgresql://"
        + (user.find() ? user.group(1) + "@" : "")
        + url.group(1)
        + "/"
        + database;
  }

  private static Matcher parse(String serverUrl) {
    Matcher url = JDBC_POSTGRES.matcher(serverUrl);
    if (!url.matches()) {
      throw new AssertionError(
          "BATON_TEST_POSTGRES_URL is not a jdbc:postgresql://host:port/db URL: " + serverUrl);
    }
    return url;
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }
}

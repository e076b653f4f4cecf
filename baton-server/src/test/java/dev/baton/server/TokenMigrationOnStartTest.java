package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.crypto.KeyRing;
import dev.baton.execution.CallbackState;
import dev.baton.execution.CallbackStatus;
import dev.baton.execution.CallbackToken;
import dev.baton.execution.CallerIdentity;
import dev.baton.execution.ExecutionIds;
import dev.baton.execution.ExecutionSpec;
import dev.baton.execution.NewExecution;
import dev.baton.execution.OnCallerGone;
import dev.baton.execution.Termination;
import dev.baton.store.Database;
import dev.baton.store.JdbcExecutionStore;
import dev.baton.store.TokenCipher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upgrading from a Baton without token encryption: the server encrypts old tokens as it starts. */
class TokenMigrationOnStartTest {
  private static final byte[] TOKEN = "task-token-of-an-old-build".getBytes(StandardCharsets.UTF_8);

  @TempDir Path home;

  @Test
  void aServerStartingOnAnOlderDatabaseEncryptsItsPlaintextTokens() throws Exception {
    Path keyFile = home.resolve("token-keys");
    Files.writeString(keyFile, "k1:" + Base64.getEncoder().encodeToString(KeyRing.newKey()));
    String url = "jdbc:sqlite:" + home.resolve("baton.db");
    String id = executionWithPlaintextToken(url, keyFile);

    try (BatonServer server =
        BatonServer.start(
            ServerConfig.builder(home)
                .port(0)
                .embeddedTemporalPort(0)
                .metricsPort(0)
                .databaseUrl(url)
                .tokenKeyFile(keyFile)
                .build())) {

      assertThat(server.store().callbackToken(id)).contains(CallbackToken.of(TOKEN));
      assertThat(TokenCipher.isEncrypted(rawToken(url, id))).isTrue();
    }
  }

  /** An ended execution whose token column holds the token itself, as older builds wrote it. */
  private static String executionWithPlaintextToken(String url, Path keyFile) {
    try (Database database = Database.open(url)) {
      JdbcExecutionStore store = new JdbcExecutionStore(database, TokenCipher.read(keyFile));
      Instant now = Instant.now();
      String id = new ExecutionIds(Clock.systemUTC()).next();
      CallerIdentity caller = new CallerIdentity("default", "wf-1", "run-1", "act-1", 1);
      store.create(
          new NewExecution(
              id,
              now,
              Map.of(),
              new ExecutionSpec(
                  "gone", "hi", caller, Duration.ofMinutes(1), null, OnCallerGone.CANCEL),
              CallbackToken.of(TOKEN),
              caller.idempotencyKey()));
      store.finish(id, Termination.completed("done", null, now));
      store.updateCallback(id, new CallbackStatus(CallbackState.DELIVERED, 1, null, now, null));
      database
          .jdbi()
          .useHandle(
              handle ->
                  handle
                      .createUpdate("UPDATE executions SET callback_token = :token WHERE id = :id")
                      .bindByType("token", TOKEN, byte[].class)
                      .bind("id", id)
                      .execute());
      return id;
    }
  }

  private static byte[] rawToken(String url, String id) {
    try (Database database = Database.open(url)) {
      return database
          .jdbi()
          .withHandle(
              handle ->
                  handle
                      .createQuery("SELECT callback_token FROM executions WHERE id = :id")
                      .bind("id", id)
                      .mapTo(byte[].class)
                      .one());
    }
  }
}

package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.execution.NewExecution;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tokens stored in plaintext by a Baton from before token encryption are encrypted on start. */
interface TokenMigrationContract extends StoreFixture {

  @Test
  default void aTokenAnOlderBatonStoredInPlaintextIsEncryptedAndStillReadsAsItself() {
    NewExecution request = executions().withCaller("researcher");
    String id = store().create(request).execution().id();
    byte[] plaintext = request.callbackToken().bytes();
    writeRawToken(id, plaintext); // as a build without token encryption stored it
    assertThatThrownBy(() -> store().callbackToken(id))
        .hasMessageContaining("not in the encrypted format");

    reopen(); // a restarted server
    int encrypted = store().encryptPlaintextTokens();

    byte[] stored = rawToken(id);
    assertThat(encrypted).isEqualTo(1);
    assertThat(TokenCipher.isEncrypted(stored)).isTrue();
    assertThat(latin1(stored)).doesNotContain(latin1(plaintext));
    assertThat(store().callbackToken(id)).contains(request.callbackToken());
  }

  @Test
  default void encryptingAgainChangesNothing() {
    NewExecution old = executions().withCaller("researcher");
    String oldId = store().create(old).execution().id();
    writeRawToken(oldId, old.callbackToken().bytes());
    String newId = store().create(executions().withCaller("writer")).execution().id();
    byte[] alreadyEncrypted = rawToken(newId);
    store().encryptPlaintextTokens();
    byte[] migrated = rawToken(oldId);

    int again = store().encryptPlaintextTokens();

    assertThat(again).isZero();
    assertThat(rawToken(oldId)).isEqualTo(migrated);
    assertThat(rawToken(newId)).isEqualTo(alreadyEncrypted);
  }

  @Test
  default void encryptsEveryRowAcrossSeveralBatches() {
    List<NewExecution> requests = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      NewExecution request = executions().withCaller("researcher");
      store().create(request);
      writeRawToken(request.id(), request.callbackToken().bytes());
      requests.add(request);
    }
    store().create(executions().withoutCaller("no-token"));

    int encrypted = store().encryptPlaintextTokens(3);

    assertThat(encrypted).isEqualTo(7);
    for (NewExecution request : requests) {
      assertThat(TokenCipher.isEncrypted(rawToken(request.id()))).isTrue();
      assertThat(store().callbackToken(request.id())).contains(request.callbackToken());
    }
  }

  @Test
  default void aRealTemporalTaskTokenIsNeverMistakenForAnEncryptedOne() {
    // A Temporal server's token is a protobuf message: its first byte is a field tag (0x0A here).
    byte[] token = {0x0a, 0x24, 'n', 's', '-', 'i', 'd', 0x12, 0x03, 'w', 'f', '1'};
    assertThat(TokenCipher.isEncrypted(token)).isFalse();
    assertThat(TokenCipher.isEncrypted(tokens().encrypt(token))).isTrue();
    assertThat(TokenCipher.isEncrypted(new byte[] {1})).isFalse();
  }

  private void writeRawToken(String id, byte[] token) {
    database()
        .inTransaction(
            handle ->
                handle
                    .createUpdate("UPDATE executions SET callback_token = :token WHERE id = :id")
                    .bindByType("token", token, byte[].class)
                    .bind("id", id)
                    .execute());
  }

  private byte[] rawToken(String id) {
    return database()
        .jdbi()
        .withHandle(
            handle ->
                handle
                    .createQuery("SELECT callback_token FROM executions WHERE id = :id")
                    .bind("id", id)
                    .mapTo(byte[].class)
                    .one());
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}

package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCipherTest {
  private static final byte[] TOKEN = "task-token-0123456789".getBytes(StandardCharsets.UTF_8);
  private static final String OLD = "old:" + key(1);
  private static final String NEW = "new:" + key(2);

  @TempDir Path dir;

  @Test
  void roundTripsWithAFreshNoncePerToken() {
    TokenCipher cipher = TokenCipher.parse(OLD, "test");

    byte[] first = cipher.encrypt(TOKEN);
    byte[] second = cipher.encrypt(TOKEN);

    assertThat(first).isNotEqualTo(second);
    assertThat(cipher.decrypt(first)).isEqualTo(TOKEN);
    assertThat(cipher.decrypt(second)).isEqualTo(TOKEN);
    assertThat(first[0]).isEqualTo((byte) 1);
    assertThat(new String(first, 2, first[1], StandardCharsets.US_ASCII)).isEqualTo("old");
  }

  @Test
  void afterRotationTheOldKeyStillDecryptsAndTheNewOneEncrypts() {
    byte[] storedBefore = TokenCipher.parse(OLD, "test").encrypt(TOKEN);
    TokenCipher rotated = TokenCipher.parse(NEW + "\n" + OLD + "\n", "test");

    byte[] storedAfter = rotated.encrypt(TOKEN);

    assertThat(rotated.decrypt(storedBefore)).isEqualTo(TOKEN);
    assertThat(rotated.encryptingKeyId()).isEqualTo("new");
    assertThat(new String(storedAfter, 2, storedAfter[1], StandardCharsets.US_ASCII))
        .isEqualTo("new");
    assertThat(rotated.decrypt(storedAfter)).isEqualTo(TOKEN);
  }

  @Test
  void aMissingKeySaysWhichOneIsNeeded() {
    byte[] stored = TokenCipher.parse(OLD, "test").encrypt(TOKEN);

    assertThatThrownBy(() -> TokenCipher.parse(NEW, "test").decrypt(stored))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "stored callback token was encrypted with token key 'old', which is not configured"
                + " (configured: new); add it to the token key file or BATON_TOKEN_KEYS");
  }

  @Test
  void aWrongKeyUnderTheSameIdFailsClearly() {
    byte[] stored = TokenCipher.parse(OLD, "test").encrypt(TOKEN);

    assertThatThrownBy(() -> TokenCipher.parse("old:" + key(3), "test").decrypt(stored))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("stored callback token does not decrypt with token key 'old'");
  }

  @Test
  void aThreadDecryptsAndEncryptsAgainAfterATokenFailedToDecrypt() {
    TokenCipher cipher = TokenCipher.parse(OLD, "test");
    byte[] tampered = cipher.encrypt(TOKEN);
    tampered[tampered.length - 1] ^= 1;

    assertThatThrownBy(() -> cipher.decrypt(tampered)).isInstanceOf(IllegalStateException.class);

    assertThat(cipher.decrypt(cipher.encrypt(TOKEN))).isEqualTo(TOKEN);
    byte[] other = "another-token".getBytes(StandardCharsets.UTF_8);
    assertThat(cipher.decrypt(cipher.encrypt(other))).isEqualTo(other);
  }

  @Test
  void threadsEncryptAndDecryptAtOnce() throws Exception {
    TokenCipher cipher = TokenCipher.parse(OLD, "test");
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> roundTrips = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        byte[] token = ("token-" + i).getBytes(StandardCharsets.UTF_8);
        roundTrips.add(
            threads.submit(() -> Arrays.equals(cipher.decrypt(cipher.encrypt(token)), token)));
      }
      for (Future<Boolean> roundTrip : roundTrips) {
        assertThat(roundTrip.get()).isTrue();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aPlaintextTokenIsNotMistakenForAnEncryptedOne() {
    assertThatThrownBy(() -> TokenCipher.parse(OLD, "test").decrypt(TOKEN))
        .hasMessageContaining("not in the encrypted format");
  }

  @Test
  void rejectsMalformedKeys() {
    assertThatThrownBy(() -> TokenCipher.parse("k1:" + "AAAA", "keys.txt"))
        .hasMessage("keys.txt: token key 'k1' has 3 bytes; expected 32 (256 bits)");
    assertThatThrownBy(() -> TokenCipher.parse("# nothing\n", "keys.txt"))
        .hasMessage("keys.txt holds no token key; expected keyId:base64-key");
    assertThatThrownBy(() -> TokenCipher.parse("k1:!!", "keys.txt"))
        .hasMessage("keys.txt line 1: the key of 'k1' is not valid base64");
  }

  @Test
  void createsTheKeyFileOwnerOnlyOnFirstStartAndReusesIt() throws Exception {
    Path file = dir.resolve("home/token-keys");

    byte[] stored = TokenCipher.readOrCreate(file).encrypt(TOKEN);
    String written = Files.readString(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(TokenCipher.readOrCreate(file).decrypt(stored)).isEqualTo(TOKEN);
    assertThat(Files.readString(file)).isEqualTo(written);
  }

  private static String key(int seed) {
    byte[] key = new byte[32];
    key[0] = (byte) seed;
    return Base64.getEncoder().encodeToString(key);
  }
}

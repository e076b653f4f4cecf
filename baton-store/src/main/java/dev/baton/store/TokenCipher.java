package dev.baton.store;

import dev.baton.crypto.KeyRing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts callback tokens for storage with AES-256-GCM.
 *
 * <p>A stored token is {@code [version=1][keyIdLength][keyId][12-byte nonce][ciphertext+tag]}; the
 * header is authenticated as associated data. The first key of the {@link KeyRing} encrypts; every
 * key decrypts, chosen by the key id in the header, so a key can be rotated by putting a new one
 * first and keeping the old one until no stored token needs it.
 *
 * <p>Keys are written one a line as {@code keyId:base64-of-32-bytes} (see {@link KeyRing}).
 */
public final class TokenCipher {
  /** How keys are named in errors. */
  public static final String WHAT = "token key";

  private static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  /**
   * One cipher per thread, initialised afresh for every token: {@code Cipher.getInstance} (a
   * provider look-up) cost as much as the encryption itself. Each encryption draws a new nonce, so
   * reusing the object never reuses a key and nonce pair.
   */
  private static final ThreadLocal<Cipher> AES_GCM = ThreadLocal.withInitial(TokenCipher::aesGcm);

  private final KeyRing keys;
  private final SecureRandom random;

  public TokenCipher(KeyRing keys, SecureRandom random) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * @param keys key ids to 256-bit keys, in order; the first encrypts
   */
  public TokenCipher(Map<String, byte[]> keys, SecureRandom random) {
    this(new KeyRing(keys, WHAT), random);
  }

  /** A cipher with one random key that lives only in memory: for tests and throwaway stores. */
  public static TokenCipher ephemeral() {
    return new TokenCipher(KeyRing.ephemeral(WHAT), new SecureRandom());
  }

  /**
   * Reads keys in the {@code keyId:base64} line format.
   *
   * @param source where the text came from, for error messages
   */
  public static TokenCipher parse(String text, String source) {
    return new TokenCipher(KeyRing.parse(text, source, WHAT), new SecureRandom());
  }

  /** Reads a key file. */
  public static TokenCipher read(Path file) {
    return new TokenCipher(KeyRing.read(file, WHAT), new SecureRandom());
  }

  /**
   * Reads {@code file}, first creating it with one new key, readable and writable by the owner only
   * (0600), when it does not exist.
   */
  public static TokenCipher readOrCreate(Path file) {
    return new TokenCipher(
        KeyRing.readOrCreate(
            file,
            WHAT,
            "Keys of the callback tokens stored by Baton; losing them loses every stored token."),
        new SecureRandom());
  }

  /** The encrypted form to store. */
  public byte[] encrypt(byte[] token) {
    byte[] id = keys.encryptingKeyId().getBytes(StandardCharsets.US_ASCII);
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] header = header(id);
    try {
      Cipher cipher = AES_GCM.get();
      cipher.init(Cipher.ENCRYPT_MODE, keys.encryptingKey(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(header);
      byte[] sealed = cipher.doFinal(token);
      byte[] stored = new byte[header.length + NONCE_BYTES + sealed.length];
      System.arraycopy(header, 0, stored, 0, header.length);
      System.arraycopy(nonce, 0, stored, header.length, NONCE_BYTES);
      System.arraycopy(sealed, 0, stored, header.length + NONCE_BYTES, sealed.length);
      return stored;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
    }
  }

  /**
   * Whether {@code stored} has the form {@link #encrypt} writes: version byte, a well-formed key id
   * and room for nonce and tag. Says nothing of whether it decrypts. A Temporal task token as an
   * older Baton stored it (plaintext) does not have it: a Temporal server's token is a serialised
   * protobuf message, whose first byte is a field tag and never 1; the Java test server's starts
   * with the length of the namespace name as two bytes, 0 for any name under 256 bytes.
   */
  public static boolean isEncrypted(byte[] stored) {
    if (stored.length < 2 || stored[0] != VERSION) {
      return false;
    }
    int idLength = Byte.toUnsignedInt(stored[1]);
    if (idLength == 0 || stored.length < 2 + idLength + NONCE_BYTES + TAG_BITS / 8) {
      return false;
    }
    return KeyRing.isKeyId(new String(stored, 2, idLength, StandardCharsets.US_ASCII));
  }

  /**
   * The token from its stored form.
   *
   * @throws IllegalStateException when the stored bytes are not a token this version wrote, name a
   *     key that is not configured, or do not decrypt with it
   */
  public byte[] decrypt(byte[] stored) {
    if (stored.length < 2 || stored[0] != VERSION) {
      throw new IllegalStateException(
          "stored callback token is not in the encrypted format (version "
              + VERSION
              + "); it was written by an older Baton or damaged. Tokens an older Baton stored are"
              + " encrypted when the server starts; if this persists, the row was altered");
    }
    int idLength = Byte.toUnsignedInt(stored[1]);
    int start = 2 + idLength;
    if (stored.length < start + NONCE_BYTES + TAG_BITS / 8) {
      throw new IllegalStateException("stored callback token is truncated");
    }
    String id = new String(stored, 2, idLength, StandardCharsets.US_ASCII);
    SecretKey key =
        keys.key(id)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "stored callback token was encrypted with token key '"
                            + id
                            + "', which is not configured (configured: "
                            + String.join(", ", keys.ids())
                            + "); add it to the token key file or BATON_TOKEN_KEYS"));
    try {
      Cipher cipher = AES_GCM.get();
      cipher.init(
          Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, start, NONCE_BYTES));
      cipher.updateAAD(stored, 0, start);
      return cipher.doFinal(stored, start + NONCE_BYTES, stored.length - start - NONCE_BYTES);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new IllegalStateException(
          "stored callback token does not decrypt with token key '"
              + id
              + "': the key differs from the one that encrypted it, or the token was altered",
          e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
    }
  }

  /** The id of the key new tokens are encrypted with. */
  public String encryptingKeyId() {
    return keys.encryptingKeyId();
  }

  private static Cipher aesGcm() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
    }
  }

  private static byte[] header(byte[] id) {
    byte[] header = new byte[2 + id.length];
    header[0] = VERSION;
    header[1] = (byte) id.length;
    System.arraycopy(id, 0, header, 2, id.length);
    return header;
  }
}

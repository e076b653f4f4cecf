package dev.baton.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts callback tokens for storage with AES-256-GCM.
 *
 * <p>A stored token is {@code [version=1][keyIdLength][keyId][12-byte nonce][ciphertext+tag]}; the
 * header is authenticated as associated data. The first key encrypts; every key decrypts, chosen by
 * the key id in the header, so a key can be rotated by putting a new one first and keeping the old
 * one until no stored token needs it.
 *
 * <p>Keys are written one a line as {@code keyId:base64-of-32-bytes}; blank lines and lines
 * starting with {@code #} are ignored.
 */
public final class TokenCipher {
  private static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int KEY_BYTES = 32;
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final String encryptingKeyId;
  private final Map<String, SecretKey> keys;
  private final SecureRandom random;

  /**
   * @param keys key ids to 256-bit keys, in order; the first encrypts
   */
  public TokenCipher(Map<String, byte[]> keys, SecureRandom random) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one token key is needed");
    }
    Map<String, SecretKey> copy = new LinkedHashMap<>();
    keys.forEach(
        (id, key) -> {
          if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                "token key id '" + id + "' must be 1-64 letters, digits, '.', '_' or '-'");
          }
          if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(
                "token key '" + id + "' has " + key.length + " bytes; expected 32 (256 bits)");
          }
          copy.put(id, new SecretKeySpec(key, "AES"));
        });
    this.keys = Collections.unmodifiableMap(copy);
    this.encryptingKeyId = copy.keySet().iterator().next();
    this.random = random;
  }

  /** A cipher with one random key that lives only in memory: for tests and throwaway stores. */
  public static TokenCipher ephemeral() {
    SecureRandom random = new SecureRandom();
    return new TokenCipher(Map.of("ephemeral", newKey(random)), random);
  }

  /**
   * Reads keys in the {@code keyId:base64} line format.
   *
   * @param source where the text came from, for error messages
   */
  public static TokenCipher parse(String text, String source) {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    int number = 0;
    for (String line : text.split("\\R")) {
      number++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int colon = trimmed.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            source + " line " + number + ": expected keyId:base64-key, found no key id");
      }
      String id = trimmed.substring(0, colon);
      byte[] key;
      try {
        key = Base64.getDecoder().decode(trimmed.substring(colon + 1).strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            source + " line " + number + ": the key of '" + id + "' is not valid base64", e);
      }
      if (keys.put(id, key) != null) {
        throw new IllegalArgumentException(
            source + " line " + number + ": key id '" + id + "' appears twice");
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(source + " holds no token key; expected keyId:base64-key");
    }
    try {
      return new TokenCipher(keys, new SecureRandom());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  /** Reads a key file. */
  public static TokenCipher read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), "token key file " + file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "token key file " + file + " could not be read: " + e.getMessage(), e);
    }
  }

  /**
   * Reads {@code file}, first creating it with one new key, readable and writable by the owner only
   * (0600), when it does not exist.
   */
  public static TokenCipher readOrCreate(Path file) {
    if (!Files.exists(file)) {
      SecureRandom random = new SecureRandom();
      String line =
          "# Keys of the callback tokens stored by Baton; losing them loses every stored token.\n"
              + "k1:"
              + Base64.getEncoder().encodeToString(newKey(random))
              + "\n";
      try {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, line, StandardCharsets.UTF_8);
      } catch (FileAlreadyExistsException e) {
        // Another server created it first: use theirs.
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "token key file " + file + " could not be created: " + e.getMessage(), e);
      }
    }
    return read(file);
  }

  /** The encrypted form to store. */
  public byte[] encrypt(byte[] token) {
    byte[] id = encryptingKeyId.getBytes(StandardCharsets.US_ASCII);
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] header = header(id);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, keys.get(encryptingKeyId), new GCMParameterSpec(TAG_BITS, nonce));
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
              + "); it was written by an older Baton or damaged");
    }
    int idLength = Byte.toUnsignedInt(stored[1]);
    int start = 2 + idLength;
    if (stored.length < start + NONCE_BYTES + TAG_BITS / 8) {
      throw new IllegalStateException("stored callback token is truncated");
    }
    String id = new String(stored, 2, idLength, StandardCharsets.US_ASCII);
    SecretKey key = keys.get(id);
    if (key == null) {
      throw new IllegalStateException(
          "stored callback token was encrypted with token key '"
              + id
              + "', which is not configured (configured: "
              + String.join(", ", keys.keySet())
              + "); add it to the token key file or BATON_TOKEN_KEYS");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
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
    return encryptingKeyId;
  }

  private static byte[] header(byte[] id) {
    byte[] header = new byte[2 + id.length];
    header[0] = VERSION;
    header[1] = (byte) id.length;
    System.arraycopy(id, 0, header, 2, id.length);
    return header;
  }

  private static byte[] newKey(SecureRandom random) {
    byte[] key = new byte[KEY_BYTES];
    random.nextBytes(key);
    return key;
  }
}

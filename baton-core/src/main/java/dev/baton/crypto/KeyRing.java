package dev.baton.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * An ordered set of named AES-256 keys: the first encrypts, every one decrypts, chosen by the key
 * id stored beside what it encrypted. A key is rotated by putting a new one first and keeping the
 * old one until nothing needs it.
 *
 * <p>Keys are written one a line as {@code keyId:base64-of-32-bytes}; blank lines and lines
 * starting with {@code #} are ignored. The same format serves callback token keys and payload keys;
 * {@code what} ("token key", "payload key") only names them in errors.
 */
public final class KeyRing {
  private static final int KEY_BYTES = 32;
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final String what;
  private final String encryptingKeyId;
  private final Map<String, SecretKey> keys;

  /**
   * @param keys key ids to 256-bit keys, in order; the first encrypts
   * @param what what the keys are for, e.g. {@code token key}, for error messages
   */
  public KeyRing(Map<String, byte[]> keys, String what) {
    this.what = what;
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one " + what + " is needed");
    }
    Map<String, SecretKey> copy = new LinkedHashMap<>();
    keys.forEach(
        (id, key) -> {
          if (!isKeyId(id)) {
            throw new IllegalArgumentException(
                what + " id '" + id + "' must be 1-64 letters, digits, '.', '_' or '-'");
          }
          if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(
                what + " '" + id + "' has " + key.length + " bytes; expected 32 (256 bits)");
          }
          copy.put(id, new SecretKeySpec(key, "AES"));
        });
    this.keys = Collections.unmodifiableMap(copy);
    this.encryptingKeyId = copy.keySet().iterator().next();
  }

  /** One random key that lives only in memory: for tests and throwaway stores. */
  public static KeyRing ephemeral(String what) {
    return new KeyRing(Map.of("ephemeral", newKey(new SecureRandom())), what);
  }

  /**
   * Reads keys in the {@code keyId:base64} line format.
   *
   * @param source where the text came from, for error messages
   * @throws IllegalArgumentException naming the line that is wrong
   */
  public static KeyRing parse(String text, String source, String what) {
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
      throw new IllegalArgumentException(
          source + " holds no " + what + "; expected keyId:base64-key");
    }
    try {
      return new KeyRing(keys, what);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads keys given inline, as in an environment variable: entries separated by newlines, commas
   * or spaces.
   *
   * @param source the variable's name, for error messages
   */
  public static KeyRing parseInline(String entries, String source, String what) {
    return parse(entries.strip().replaceAll("[,\\s]+", "\n"), source, what);
  }

  /** Reads a key file. */
  public static KeyRing read(Path file, String what) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), what + " file " + file, what);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          what
              + " file "
              + file
              + " "
              + whyUnreadable(e)
              + " (--"
              + what.replace(' ', '-')
              + "-file)",
          e);
    }
  }

  private static String whyUnreadable(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "does not exist";
    }
    if (e instanceof AccessDeniedException) {
      return "cannot be read: permission denied";
    }
    return "could not be read: " + e;
  }

  /**
   * The keys of {@code file} if given, else of {@code inline} if not blank, else empty.
   *
   * @param inlineSource where the inline keys come from, e.g. an environment variable's name
   */
  public static Optional<KeyRing> load(Path file, String inline, String inlineSource, String what) {
    if (file != null) {
      return Optional.of(read(file, what));
    }
    if (inline != null && !inline.isBlank()) {
      return Optional.of(parseInline(inline, inlineSource, what));
    }
    return Optional.empty();
  }

  /**
   * Reads {@code file}, first creating it with one new key, readable and writable by the owner only
   * (0600), when it does not exist.
   *
   * @param comment the first line written to a new file, saying what the keys protect
   */
  public static KeyRing readOrCreate(Path file, String what, String comment) {
    if (!Files.exists(file)) {
      String text =
          "# " + comment + "\n" + "k1:" + Base64.getEncoder().encodeToString(newKey()) + "\n";
      try {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text, StandardCharsets.UTF_8);
      } catch (FileAlreadyExistsException e) {
        // Another server created it first: use theirs.
      } catch (IOException e) {
        throw new IllegalArgumentException(
            what + " file " + file + " could not be created: " + e.getMessage(), e);
      }
    }
    return read(file, what);
  }

  /** A new random 256-bit key. */
  public static byte[] newKey() {
    return newKey(new SecureRandom());
  }

  /** Whether {@code id} is a well-formed key id. */
  public static boolean isKeyId(String id) {
    return KEY_ID.matcher(id).matches();
  }

  /** The id of the key new data is encrypted with. */
  public String encryptingKeyId() {
    return encryptingKeyId;
  }

  /** The key new data is encrypted with. */
  public SecretKey encryptingKey() {
    return keys.get(encryptingKeyId);
  }

  /** The key with this id, if configured. */
  public Optional<SecretKey> key(String id) {
    return Optional.ofNullable(keys.get(id));
  }

  /** Every key id, the encrypting one first. */
  public Set<String> ids() {
    return keys.keySet();
  }

  /** What these keys are for, as named in errors. */
  public String what() {
    return what;
  }

  private static byte[] newKey(SecureRandom random) {
    byte[] key = new byte[KEY_BYTES];
    random.nextBytes(key);
    return key;
  }
}

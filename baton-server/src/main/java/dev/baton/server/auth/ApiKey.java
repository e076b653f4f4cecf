package dev.baton.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One API key as the server knows it: a name, a scope and the SHA-256 of the key (never the key).
 *
 * @param name who the key belongs to, for logs
 * @param scope what it may call
 * @param sha256Hex lowercase hex SHA-256 of the key's UTF-8 bytes
 */
public record ApiKey(String name, ApiKeyScope scope, String sha256Hex) {
  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]+");
  private static final SecureRandom RANDOM = new SecureRandom();

  public ApiKey {
    Objects.requireNonNull(scope, "scope");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "API key name '" + name + "' must be letters, digits, '.', '_', '@' or '-'");
    }
    if (sha256Hex == null || !HEX_SHA256.matcher(sha256Hex).matches()) {
      throw new IllegalArgumentException(
          "API key '"
              + name
              + "': expected the key's SHA-256 as 64 lowercase hex characters, not the key itself");
    }
  }

  /** Parses one {@code name:scope:sha256hex} entry. */
  public static ApiKey parse(String entry) {
    String[] parts = entry.trim().split(":", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "API key entry '"
              + redact(entry)
              + "': expected name:scope:sha256hex (see baton api-key create)");
    }
    return new ApiKey(parts[0], ApiKeyScope.parse(parts[1]), parts[2].toLowerCase());
  }

  /** The entry for a keys file or {@code BATON_API_KEYS}. */
  public String entry() {
    return name + ":" + scope.label() + ":" + sha256Hex;
  }

  /** Lowercase hex SHA-256 of a key's UTF-8 bytes. */
  public static String sha256Hex(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A new random key: {@code baton_} and 32 random bytes in hex. */
  public static String generateKey() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "baton_" + HexFormat.of().formatHex(bytes);
  }

  private static String redact(String entry) {
    // A mistaken entry might hold a plain key; show only its start.
    String trimmed = entry.trim();
    return trimmed.length() <= 12 ? trimmed : trimmed.substring(0, 12) + "...";
  }
}

package dev.baton.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The API keys a server accepts, looked up by the hash of a presented key. */
public final class ApiKeys {
  private final List<ApiKey> keys;

  private ApiKeys(List<ApiKey> keys) {
    this.keys = List.copyOf(keys);
    Set<String> names = new HashSet<>();
    for (ApiKey key : this.keys) {
      if (!names.add(key.name())) {
        throw new IllegalArgumentException("API key name '" + key.name() + "' appears twice");
      }
    }
  }

  public static ApiKeys of(List<ApiKey> keys) {
    return new ApiKeys(keys);
  }

  public static ApiKeys none() {
    return new ApiKeys(List.of());
  }

  /**
   * Reads keys from a file (one {@code name:scope:sha256hex} per line; blank lines and lines
   * starting with {@code #} are skipped) and/or a comma-separated list; either may be null.
   */
  public static ApiKeys load(Path file, String commaSeparated) {
    List<ApiKey> keys = new ArrayList<>();
    if (file != null) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read API keys file " + file + ": " + e, e);
      }
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).trim();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        try {
          keys.add(ApiKey.parse(line));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
        }
      }
    }
    if (commaSeparated != null) {
      for (String entry : commaSeparated.split(",")) {
        if (!entry.isBlank()) {
          keys.add(ApiKey.parse(entry));
        }
      }
    }
    return new ApiKeys(keys);
  }

  public List<ApiKey> list() {
    return keys;
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** The key whose hash matches this presented key; compares every hash in constant time. */
  public Optional<ApiKey> find(String presentedKey) {
    byte[] presented = ApiKey.sha256Hex(presentedKey).getBytes(StandardCharsets.US_ASCII);
    ApiKey found = null;
    for (ApiKey key : keys) {
      if (MessageDigest.isEqual(presented, key.sha256Hex().getBytes(StandardCharsets.US_ASCII))) {
        found = key;
      }
    }
    return Optional.ofNullable(found);
  }
}

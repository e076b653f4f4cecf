package dev.baton.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${secret:NAME}} references in agent settings when an agent runs.
 *
 * <p>A secret NAME is looked up, in order, as {@code BATON_SECRET_NAME} and {@code NAME} in the
 * server's environment (a NAME starting with {@code BATON_}, one of the server's own settings, is
 * refused), then as a {@code NAME=value} line of the secrets file (read at each resolution, so
 * edits apply to the next run). Resolved values are meant to live only in a runner's process:
 * callers must not store or log what {@link #resolve} returns, and its errors never contain a
 * value.
 */
public final class Secrets {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{secret:([^}]*)}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String RESERVED_PREFIX = "BATON_";

  private final Map<String, String> environment;
  private final Path file;

  /**
   * @param environment the server's environment
   * @param file the secrets file, or {@code null} for none
   */
  public Secrets(Map<String, String> environment, Path file) {
    this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    this.file = file;
  }

  /** Secrets from the server's own environment and no file. */
  public static Secrets fromEnvironment() {
    return new Secrets(System.getenv(), null);
  }

  /**
   * Checks that every reference in {@code value} names a valid secret, without resolving it.
   *
   * @throws IllegalArgumentException naming the malformed reference
   */
  public static void checkReferences(String value) {
    Matcher matcher = REFERENCE.matcher(value);
    while (matcher.find()) {
      if (!NAME.matcher(matcher.group(1)).matches()) {
        throw new IllegalArgumentException(
            "'"
                + matcher.group()
                + "' is not a valid secret reference; expected ${secret:NAME} with NAME of"
                + " letters, digits and underscores");
      }
      requireNotBatonSetting(matcher.group(1), "'" + matcher.group() + "'");
    }
  }

  /**
   * Refuses a variable NAME of the server's own settings: they (token and payload keys, the
   * database URL with its password, Temporal's API key) live in {@code BATON_*} variables, and no
   * agent may read them.
   *
   * @param what how the agent file names it, for the message
   * @throws IllegalArgumentException when {@code name} starts with {@code BATON_}
   */
  public static void requireNotBatonSetting(String name, String what) {
    if (name.toUpperCase(Locale.ROOT).startsWith(RESERVED_PREFIX)) {
      throw new IllegalArgumentException(
          what
              + " names one of Baton's own settings; a secret NAME must not start with "
              + RESERVED_PREFIX
              + " (set it as BATON_SECRET_NAME or NAME in the server's environment, or as a"
              + " NAME=value line of the secrets file)");
    }
  }

  /**
   * Replaces every {@code ${secret:NAME}} in {@code value} with the secret's value.
   *
   * @throws IllegalArgumentException when a reference is malformed or a secret is not set; the
   *     message names the secret and where it was looked for, never a value
   */
  public String resolve(String value) {
    return resolve(value, new ArrayList<>());
  }

  /**
   * {@link #resolve(String)}, adding the value of every secret it filled in to {@code used}, so
   * that the caller can remove them from any text it may show (an error a provider sent back).
   */
  public String resolve(String value, Collection<String> used) {
    checkReferences(value);
    Matcher matcher = REFERENCE.matcher(value);
    if (!matcher.find()) {
      return value;
    }
    Map<String, String> fromFile = null;
    StringBuilder resolved = new StringBuilder();
    do {
      String name = matcher.group(1);
      Optional<String> secret = fromEnvironment(name);
      if (secret.isEmpty()) {
        if (fromFile == null) {
          fromFile = readFile();
        }
        secret = Optional.ofNullable(fromFile.get(name));
      }
      String filled = secret.orElseThrow(() -> notSet(name));
      used.add(filled);
      matcher.appendReplacement(resolved, Matcher.quoteReplacement(filled));
    } while (matcher.find());
    matcher.appendTail(resolved);
    return resolved.toString();
  }

  /** Whether {@code value} holds a {@code ${secret:...}} reference, well-formed or not. */
  public static boolean hasReference(String value) {
    return REFERENCE.matcher(value).find();
  }

  /** Whether {@code value} is exactly one well-formed reference, {@code ${secret:NAME}}. */
  public static boolean isReference(String value) {
    Matcher matcher = REFERENCE.matcher(value);
    return matcher.matches() && NAME.matcher(matcher.group(1)).matches();
  }

  /**
   * The environment variables the secrets referenced in {@code value} may come from ({@code
   * BATON_SECRET_NAME} and {@code NAME}): what a child process should not inherit.
   */
  public static Set<String> environmentVariables(String value) {
    Set<String> names = new LinkedHashSet<>();
    Matcher matcher = REFERENCE.matcher(value);
    while (matcher.find()) {
      names.add("BATON_SECRET_" + matcher.group(1));
      names.add(matcher.group(1));
    }
    return names;
  }

  private Optional<String> fromEnvironment(String name) {
    String value = environment.get("BATON_SECRET_" + name);
    return Optional.ofNullable(value != null ? value : environment.get(name));
  }

  private Map<String, String> readFile() {
    Map<String, String> secrets = new HashMap<>();
    if (file == null) {
      return secrets;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the secrets file " + file + " could not be read: " + e.getMessage(), e);
    }
    for (String line : lines) {
      String trimmed = line.strip();
      int equals = trimmed.indexOf('=');
      if (trimmed.isEmpty() || trimmed.startsWith("#") || equals <= 0) {
        continue;
      }
      secrets.put(trimmed.substring(0, equals).strip(), trimmed.substring(equals + 1));
    }
    return secrets;
  }

  private IllegalArgumentException notSet(String name) {
    return new IllegalArgumentException(
        "secret '"
            + name
            + "' is not set; set BATON_SECRET_"
            + name
            + " or "
            + name
            + " in the server's environment"
            + (file == null ? ", or give the server a secrets file" : ", or add it to " + file)
            + " as "
            + name
            + "=value");
  }
}

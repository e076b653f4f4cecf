package dev.baton.execution;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;

/**
 * Builds execution ids and the workflow ids derived from them, in one place.
 *
 * <p>Ids are ULIDs: 26 Crockford base32 characters, a 48-bit millisecond timestamp followed by 80
 * random bits, so they sort by creation time (list pages are ordered by id).
 */
public final class ExecutionIds {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final String WORKFLOW_ID_PREFIX = "agent-execution/";

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public ExecutionIds(Clock clock) {
    this.clock = clock;
  }

  public String next() {
    long time = clock.millis();
    byte[] entropy = new byte[10];
    random.nextBytes(entropy);
    char[] out = new char[26];
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    long hi = 0;
    for (int i = 0; i < 5; i++) {
      hi = (hi << 8) | (entropy[i] & 0xff);
    }
    long lo = 0;
    for (int i = 5; i < 10; i++) {
      lo = (lo << 8) | (entropy[i] & 0xff);
    }
    for (int i = 17; i >= 10; i--) {
      out[i] = ALPHABET[(int) (hi & 31)];
      hi >>>= 5;
    }
    for (int i = 25; i >= 18; i--) {
      out[i] = ALPHABET[(int) (lo & 31)];
      lo >>>= 5;
    }
    return new String(out);
  }

  /** The lowest id of an execution created at {@code time}: every id created before is lower. */
  public static String lowestAt(Instant time) {
    long millis = time.toEpochMilli();
    char[] out = new char[26];
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (millis & 31)];
      millis >>>= 5;
    }
    Arrays.fill(out, 10, 26, ALPHABET[0]);
    return new String(out);
  }

  /** Whether {@code id} has the shape of an execution id (checked before any lookup). */
  public static boolean isWellFormed(String id) {
    if (id == null || id.length() != 26) {
      return false;
    }
    for (char c : id.toCharArray()) {
      if (new String(ALPHABET).indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * @throws InvalidRequestException naming the field {@code id} when {@code id} is not well formed
   */
  public static void requireWellFormed(String id) {
    if (!isWellFormed(id)) {
      throw new InvalidRequestException(
          "id",
          "expected a 26-character execution id such as 01JD3Z8Q4W5X6Y7Z8A9B0C1D2E, got "
              + InvalidRequestException.quoted(id));
    }
  }

  public static String workflowId(String executionId) {
    return WORKFLOW_ID_PREFIX + executionId;
  }

  /** The workflow that delivers an ended execution's outcome to one (re-bound) token. */
  public static String callbackWorkflowId(String executionId, String tokenFingerprint) {
    return "agent-callback/" + executionId + "/" + tokenFingerprint;
  }
}

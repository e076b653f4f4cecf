package dev.baton.execution;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A caller activity's Temporal task token: a bearer credential that completes someone else's
 * activity. Its {@link #toString()} shows only the fingerprint, so it cannot leak into logs.
 */
public final class CallbackToken {
  private static final int FINGERPRINT_LENGTH = 12;

  private final byte[] bytes;

  /** Computed once: a call logs, stores and compares it several times. */
  private final String fingerprint;

  private CallbackToken(byte[] bytes) {
    this.bytes = bytes.clone();
    this.fingerprint = fingerprint(this.bytes);
  }

  public static CallbackToken of(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new IllegalArgumentException("a callback token must not be empty");
    }
    return new CallbackToken(bytes);
  }

  /** A copy of the raw token, for the completion RPC only. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  /** First 12 hex characters of the SHA-256 of the token: safe to log and to return. */
  public String fingerprint() {
    return fingerprint;
  }

  public static String fingerprint(byte[] token) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(token);
      return HexFormat.of().formatHex(digest).substring(0, FINGERPRINT_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CallbackToken other && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "CallbackToken[" + fingerprint() + "]";
  }
}

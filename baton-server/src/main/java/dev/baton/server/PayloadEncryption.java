package dev.baton.server;

import dev.baton.crypto.BatonPayloadCodec;
import dev.baton.crypto.KeyRing;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether and how Temporal payloads are encrypted (see {@link BatonPayloadCodec}). Off by default.
 *
 * @param keyFile file of {@code keyId:base64-key} lines (the first encrypts, all decrypt), or
 *     {@code null}
 * @param keys the same entries inline (newlines, commas or spaces between them), used when there is
 *     no key file, or {@code null}; with neither, payloads are not encrypted
 * @param encryptCallerResults whether the results, failures and heartbeats Baton sends to callers'
 *     activities are encrypted too; callers then need the codec and the keys to read them
 */
public record PayloadEncryption(Path keyFile, String keys, boolean encryptCallerResults) {

  /** The environment variable {@link #keys} is read from. */
  public static final String KEYS_VARIABLE = "BATON_PAYLOAD_KEYS";

  /** No encryption. */
  public static PayloadEncryption off() {
    return new PayloadEncryption(null, null, false);
  }

  /**
   * The codec these settings ask for, or empty when payloads are not encrypted.
   *
   * @throws IllegalArgumentException when the keys are unreadable or malformed, or callers' results
   *     are to be encrypted without keys
   */
  public Optional<BatonPayloadCodec> codec() {
    Optional<BatonPayloadCodec> codec =
        KeyRing.load(keyFile, keys, KEYS_VARIABLE, BatonPayloadCodec.WHAT)
            .map(BatonPayloadCodec::new);
    if (codec.isEmpty() && encryptCallerResults) {
      throw new IllegalArgumentException(
          "--encrypt-caller-results needs payload keys: give --payload-key-file FILE (or"
              + " BATON_PAYLOAD_KEY_FILE) or set "
              + KEYS_VARIABLE);
    }
    return codec;
  }
}

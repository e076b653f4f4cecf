package dev.baton.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts Temporal payloads with AES-256-GCM, so workflow histories hold no plaintext of what
 * Baton's workflows and activities pass (messages, outputs, progress, results).
 *
 * <p>An encrypted payload has the metadata {@code encoding: binary/encrypted} and {@code
 * encryption-key-id: <keyId>}; its data is a 12-byte nonce followed by the AES-GCM ciphertext and
 * tag of the whole original payload (metadata and data) serialised as protobuf. This is the format
 * of Temporal's encryption samples in Go and Python, so callers in those languages can decode it
 * with the sample codec and the same keys.
 *
 * <p>The first key of the {@link KeyRing} encrypts; any configured key decrypts, chosen by the key
 * id. Payloads whose encoding is not {@code binary/encrypted} pass through {@link #decode}
 * unchanged, so histories written before encryption was turned on stay readable.
 *
 * <p>Install it on a Temporal client with {@link #dataConverter()} (or {@link
 * #dataConverter(DataConverter)}): every worker built from that client then decodes and encodes
 * with it.
 */
public final class BatonPayloadCodec implements PayloadCodec {
  /** How keys are named in errors. */
  public static final String WHAT = "payload key";

  /** The {@code encoding} metadata of an encrypted payload. */
  public static final String ENCODING = "binary/encrypted";

  /** The metadata naming the key a payload was encrypted with. */
  public static final String KEY_ID = "encryption-key-id";

  private static final String ENCODING_KEY = "encoding";
  private static final ByteString ENCODING_BYTES = ByteString.copyFromUtf8(ENCODING);
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final KeyRing keys;
  private final SecureRandom random;

  public BatonPayloadCodec(KeyRing keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.random = new SecureRandom();
  }

  /**
   * A codec with the keys of a file of {@code keyId:base64-key} lines (the first encrypts).
   *
   * @throws IllegalArgumentException when the file cannot be read or holds a malformed key
   */
  public static BatonPayloadCodec read(Path keyFile) {
    return new BatonPayloadCodec(KeyRing.read(keyFile, WHAT));
  }

  /** A codec with the keys of {@code keyId:base64-key} entries separated by newlines or commas. */
  public static BatonPayloadCodec parse(String keys, String source) {
    return new BatonPayloadCodec(KeyRing.parseInline(keys, source, WHAT));
  }

  /** Temporal's default converter with this codec after it; failure messages encrypted too. */
  public DataConverter dataConverter() {
    return dataConverter(DefaultDataConverter.newDefaultInstance());
  }

  /**
   * {@code converter} with this codec after it. Failure messages and stack traces are encrypted as
   * well (Temporal moves them into an encoded attribute); failure types stay readable.
   */
  public DataConverter dataConverter(DataConverter converter) {
    return new CodecDataConverter(converter, List.of(this), true);
  }

  /** The id of the key new payloads are encrypted with. */
  public String encryptingKeyId() {
    return keys.encryptingKeyId();
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    return payloads.stream().map(this::encrypt).toList();
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(this::decrypt).toList();
  }

  /** Whether {@code payload} was encrypted by this codec (in any process, with any key). */
  public static boolean isEncrypted(Payload payload) {
    return ENCODING_BYTES.equals(payload.getMetadataOrDefault(ENCODING_KEY, ByteString.EMPTY));
  }

  private Payload encrypt(Payload payload) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed;
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.encryptingKey(), new GCMParameterSpec(TAG_BITS, nonce));
      sealed = cipher.doFinal(payload.toByteArray());
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException(new IllegalStateException("AES-GCM is not available", e));
    }
    return Payload.newBuilder()
        .putMetadata(ENCODING_KEY, ENCODING_BYTES)
        .putMetadata(KEY_ID, ByteString.copyFromUtf8(keys.encryptingKeyId()))
        .setData(ByteString.copyFrom(nonce).concat(ByteString.copyFrom(sealed)))
        .build();
  }

  private Payload decrypt(Payload payload) {
    if (!isEncrypted(payload)) {
      return payload;
    }
    String id = payload.getMetadataOrDefault(KEY_ID, ByteString.EMPTY).toStringUtf8();
    SecretKey key =
        keys.key(id)
            .orElseThrow(
                () ->
                    new PayloadCodecException(
                        "payload was encrypted with payload key '"
                            + id
                            + "', which is not configured (configured: "
                            + String.join(", ", keys.ids())
                            + "); add it to the payload key file or BATON_PAYLOAD_KEYS"));
    byte[] data = payload.getData().toByteArray();
    if (data.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new PayloadCodecException("encrypted payload is truncated");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
      return Payload.parseFrom(cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES));
    } catch (AEADBadTagException e) {
      throw new PayloadCodecException(
          "payload does not decrypt with payload key '"
              + id
              + "': the key differs from the one that encrypted it, or the payload was altered",
          e);
    } catch (InvalidProtocolBufferException e) {
      throw new PayloadCodecException("decrypted payload is not a Temporal payload", e);
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException(new IllegalStateException("AES-GCM is not available", e));
    }
  }
}

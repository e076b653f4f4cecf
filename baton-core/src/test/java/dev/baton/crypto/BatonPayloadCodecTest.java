package dev.baton.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.agent.AgentOutput;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class BatonPayloadCodecTest {
  private static final String SECRET = "the launch code is 0000";
  private static final String OLD = "old:" + key(1);
  private static final String NEW = "new:" + key(2);
  private static final DataConverter PLAIN = DefaultDataConverter.STANDARD_INSTANCE;

  @Test
  void encryptsAPayloadSoThatItsBytesHoldNoPlaintextAndDecryptsItBack() {
    DataConverter converter = BatonPayloadCodec.parse(OLD, "test").dataConverter();

    Payloads payloads = converter.toPayloads(new AgentOutput(SECRET, "{\"secret\":true}")).get();

    Payload payload = payloads.getPayloads(0);
    assertThat(payload.getMetadataMap().get("encoding").toStringUtf8())
        .isEqualTo("binary/encrypted");
    assertThat(payload.getMetadataMap().get("encryption-key-id").toStringUtf8()).isEqualTo("old");
    assertThat(latin1(payloads.toByteArray())).doesNotContain("launch code", "json/plain");
    assertThat(
            converter.fromPayloads(0, Optional.of(payloads), AgentOutput.class, AgentOutput.class))
        .isEqualTo(new AgentOutput(SECRET, "{\"secret\":true}"));
  }

  @Test
  void afterRotationOldPayloadsStillDecryptAndNewOnesUseTheFirstKey() {
    Payloads before = BatonPayloadCodec.parse(OLD, "test").dataConverter().toPayloads(SECRET).get();
    BatonPayloadCodec rotated = BatonPayloadCodec.parse(NEW + "," + OLD, "test");

    Payloads after = rotated.dataConverter().toPayloads(SECRET).get();

    assertThat(rotated.encryptingKeyId()).isEqualTo("new");
    assertThat(after.getPayloads(0).getMetadataMap().get("encryption-key-id").toStringUtf8())
        .isEqualTo("new");
    assertThat(read(rotated.dataConverter(), before)).isEqualTo(SECRET);
    assertThat(read(rotated.dataConverter(), after)).isEqualTo(SECRET);
  }

  @Test
  void passesPayloadsWrittenWithoutEncryptionThrough() {
    Payloads plain = PLAIN.toPayloads(SECRET).get();

    assertThat(read(BatonPayloadCodec.parse(OLD, "test").dataConverter(), plain)).isEqualTo(SECRET);
  }

  @Test
  void aPayloadOfAKeyThatIsNotConfiguredFailsNamingTheKey() {
    Payloads payloads =
        BatonPayloadCodec.parse(OLD, "test").dataConverter().toPayloads(SECRET).get();
    BatonPayloadCodec other = BatonPayloadCodec.parse(NEW, "test");

    assertThatThrownBy(() -> other.decode(payloads.getPayloadsList()))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessage(
            "payload was encrypted with payload key 'old', which is not configured (configured:"
                + " new); add it to the payload key file or BATON_PAYLOAD_KEYS");
  }

  @Test
  void aDifferentKeyUnderTheSameIdFailsClearly() {
    Payloads payloads =
        BatonPayloadCodec.parse(OLD, "test").dataConverter().toPayloads(SECRET).get();
    BatonPayloadCodec impostor = BatonPayloadCodec.parse("old:" + key(3), "test");

    assertThatThrownBy(() -> impostor.decode(payloads.getPayloadsList()))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageStartingWith("payload does not decrypt with payload key 'old'");
  }

  @Test
  void failureMessagesAreEncryptedButTheirTypeStaysReadable() {
    DataConverter converter = BatonPayloadCodec.parse(OLD, "test").dataConverter();

    var failure =
        converter.exceptionToFailure(
            ApplicationFailure.newNonRetryableFailure(SECRET, "AgentExecutionFailed", SECRET));

    assertThat(latin1(failure.toByteArray())).doesNotContain("launch code");
    assertThat(failure.getApplicationFailureInfo().getType()).isEqualTo("AgentExecutionFailed");
    assertThat(converter.failureToException(failure)).hasMessageContaining(SECRET);
  }

  /** The layout of Temporal's Go and Python encryption samples: nonce, then GCM of the payload. */
  @Test
  void theDataIsANonceAndTheAesGcmOfTheSerialisedPayload() throws Exception {
    Payload plain = PLAIN.toPayloads(SECRET).get().getPayloads(0);

    Payload encrypted = BatonPayloadCodec.parse(OLD, "test").encode(List.of(plain)).get(0);

    byte[] data = encrypted.getData().toByteArray();
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(Base64.getDecoder().decode(key(1)), "AES"),
        new GCMParameterSpec(128, data, 0, 12));
    assertThat(Payload.parseFrom(cipher.doFinal(data, 12, data.length - 12))).isEqualTo(plain);
  }

  private static String read(DataConverter converter, Payloads payloads) {
    return converter.fromPayloads(0, Optional.of(payloads), String.class, String.class);
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static String key(int seed) {
    byte[] key = new byte[32];
    key[0] = (byte) seed;
    return Base64.getEncoder().encodeToString(key);
  }
}

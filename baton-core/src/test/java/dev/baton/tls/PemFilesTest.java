package dev.baton.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Bad TLS files are reported naming the file, what it holds and what was expected. */
class PemFilesTest {
  private final TestCertificates pki = TestCertificates.get();

  @Test
  void readsACertificateAndItsKey() {
    assertThat(PemFiles.certificates(pki.serverCert(), "--tls-cert")).hasSize(1);
    assertThat(PemFiles.privateKey(pki.serverKey(), "--tls-key").getAlgorithm()).isEqualTo("EC");
    assertThatNoException()
        .isThrownBy(
            () ->
                PemFiles.checkKeyPair(
                    pki.serverCert(), "--tls-cert", pki.serverKey(), "--tls-key"));
  }

  @Test
  void missingFileIsNamed() {
    Path missing = pki.dir().resolve("missing.pem");

    assertThatThrownBy(() -> PemFiles.certificates(missing, "--tls-cert"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--tls-cert "
                + missing
                + " does not exist; expected a PEM file of certificates"
                + " (-----BEGIN CERTIFICATE-----)");
  }

  @Test
  void keyGivenAsCertificateSuggestsTheyWereSwapped() {
    assertThatThrownBy(() -> PemFiles.certificates(pki.serverKey(), "--tls-cert"))
        .hasMessageContaining("--tls-cert " + pki.serverKey() + " holds only PRIVATE KEY")
        .hasMessageContaining("swapped")
        .hasMessageEndingWith("expected PEM certificates (-----BEGIN CERTIFICATE-----)");
    assertThatThrownBy(() -> PemFiles.privateKey(pki.serverCert(), "--tls-key"))
        .hasMessageContaining("holds a certificate, not a private key")
        .hasMessageContaining("swapped");
  }

  @Test
  void textThatIsNotPemSaysSo() {
    Path garbage = pki.write("garbage.pem", "not a certificate\n");

    assertThatThrownBy(() -> PemFiles.certificates(garbage, "--tls-client-ca"))
        .hasMessage(
            "--tls-client-ca "
                + garbage
                + " holds no PEM block; expected PEM certificates (-----BEGIN CERTIFICATE-----)");
  }

  @Test
  void pkcs1KeyIsRejectedWithTheConversionCommand() throws Exception {
    String der = Files.readString(pki.serverKey()).replace("PRIVATE KEY", "RSA PRIVATE KEY");
    Path pkcs1 = pki.write("pkcs1.key", der);

    assertThatThrownBy(() -> PemFiles.privateKey(pkcs1, "--tls-key"))
        .hasMessageContaining("holds a RSA PRIVATE KEY (PKCS#1 or SEC1 form)")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void keyOfAnotherCertificateIsAMismatch() {
    assertThatThrownBy(
            () ->
                PemFiles.checkKeyPair(pki.serverCert(), "--tls-cert", pki.clientKey(), "--tls-key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "--tls-key "
                + pki.clientKey()
                + " does not belong to the certificate of --tls-cert "
                + pki.serverCert())
        .hasMessageEndingWith("expected the private key that certificate was issued for");
  }
}

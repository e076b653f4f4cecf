package dev.baton.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and checks the PEM files TLS is configured with, so that a wrong file fails at startup with
 * a message naming the file, what it holds and what was expected, instead of a handshake error
 * later.
 *
 * <p>Every method throws {@link IllegalArgumentException} with such a message. {@code role} names
 * the file for the user, e.g. {@code "--tls-cert"}.
 */
public final class PemFiles {
  private static final Pattern BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----", Pattern.DOTALL);
  private static final String CERTIFICATE = "CERTIFICATE";
  private static final String PKCS8_KEY = "PRIVATE KEY";
  private static final String TO_PKCS8 = "openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8";
  private static final List<String> KEY_ALGORITHMS =
      List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA");
  private static final Map<String, String> SIGNATURES =
      Map.of(
          "RSA", "SHA256withRSA",
          "EC", "SHA256withECDSA",
          "EdDSA", "Ed25519",
          "Ed25519", "Ed25519",
          "Ed448", "Ed448",
          "DSA", "SHA256withDSA");

  private PemFiles() {}

  /**
   * The certificates of a PEM file, in file order (a chain starts with the leaf).
   *
   * @throws IllegalArgumentException if the file cannot be read or holds no parsable certificate
   */
  public static List<X509Certificate> certificates(Path file, String role) {
    List<Block> blocks = blocks(file, role, "certificates (-----BEGIN CERTIFICATE-----)");
    List<X509Certificate> certificates = new ArrayList<>();
    for (Block block : blocks) {
      if (block.type().equals(CERTIFICATE)) {
        certificates.add(parseCertificate(block, file, role));
      }
    }
    if (certificates.isEmpty()) {
      String found =
          blocks.isEmpty()
              ? "no PEM block"
              : "only " + String.join(", ", blocks.stream().map(Block::type).toList());
      String swapped =
          blocks.stream().anyMatch(block -> block.type().endsWith(PKCS8_KEY))
              ? " (a private key: were the certificate and key files swapped?)"
              : "";
      throw new IllegalArgumentException(
          role
              + " "
              + file
              + " holds "
              + found
              + swapped
              + "; expected PEM certificates (-----BEGIN CERTIFICATE-----)");
    }
    return certificates;
  }

  /**
   * The private key of a PEM file in PKCS#8 form ({@code -----BEGIN PRIVATE KEY-----}),
   * unencrypted.
   *
   * @throws IllegalArgumentException if the file cannot be read, holds a key in another form or no
   *     key
   */
  public static PrivateKey privateKey(Path file, String role) {
    String expected = "an unencrypted PKCS#8 private key (-----BEGIN PRIVATE KEY-----)";
    List<Block> blocks = blocks(file, role, expected);
    for (Block block : blocks) {
      if (block.type().equals(PKCS8_KEY)) {
        return parseKey(block, file, role);
      }
    }
    String problem;
    if (blocks.stream().anyMatch(block -> block.type().equals("ENCRYPTED PRIVATE KEY"))) {
      problem =
          "an encrypted private key; decrypt it with `openssl pkcs8 -in KEY -out KEY.plain` and"
              + " protect the file by its permissions";
    } else if (blocks.stream().anyMatch(block -> block.type().endsWith(PKCS8_KEY))) {
      problem =
          "a "
              + blocks.stream().filter(b -> b.type().endsWith(PKCS8_KEY)).findFirst().get().type()
              + " (PKCS#1 or SEC1 form); convert it with `"
              + TO_PKCS8
              + "`";
    } else if (blocks.stream().anyMatch(block -> block.type().equals(CERTIFICATE))) {
      problem = "a certificate, not a private key (were the certificate and key files swapped?)";
    } else {
      problem = "no PEM private key";
    }
    throw new IllegalArgumentException(
        role + " " + file + " holds " + problem + "; expected " + expected);
  }

  /**
   * Checks that the key of {@code keyFile} belongs to the first certificate of {@code certFile}: a
   * mismatch would otherwise only show as failed handshakes.
   *
   * @throws IllegalArgumentException if either file is wrong or they do not belong together
   */
  public static void checkKeyPair(Path certFile, String certRole, Path keyFile, String keyRole) {
    X509Certificate certificate = certificates(certFile, certRole).get(0);
    PrivateKey key = privateKey(keyFile, keyRole);
    if (!matches(certificate.getPublicKey(), key)) {
      throw new IllegalArgumentException(
          keyRole
              + " "
              + keyFile
              + " does not belong to the certificate of "
              + certRole
              + " "
              + certFile
              + " ("
              + certificate.getSubjectX500Principal().getName()
              + "); expected the private key that certificate was issued for");
    }
  }

  private static boolean matches(PublicKey publicKey, PrivateKey key) {
    String algorithm = SIGNATURES.get(key.getAlgorithm());
    if (algorithm == null) {
      return true; // an algorithm this check does not know: leave it to the handshake
    }
    try {
      byte[] data = "baton key pair check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(data);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // e.g. an RSA key with an EC certificate
    }
  }

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(Path file, String role, String expected) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          role + " " + file + " does not exist; expected a PEM file of " + expected, e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          role + " " + file + " cannot be read (" + e + "); expected a PEM file of " + expected, e);
    }
    List<Block> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(text);
    while (matcher.find()) {
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(matcher.group(2));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            role + " " + file + " holds a " + matcher.group(1) + " block that is not base64", e);
      }
      blocks.add(new Block(matcher.group(1), der));
    }
    return blocks;
  }

  private static X509Certificate parseCertificate(Block block, Path file, String role) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(block.der()));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          role + " " + file + " holds a certificate that cannot be parsed: " + e.getMessage(), e);
    }
  }

  private static PrivateKey parseKey(Block block, Path file, String role) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(block.der());
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // not this algorithm; try the next
      }
    }
    throw new IllegalArgumentException(
        role
            + " "
            + file
            + " holds a private key that cannot be parsed as "
            + String.join(", ", KEY_ALGORITHMS)
            + "; expected an unencrypted PKCS#8 private key (-----BEGIN PRIVATE KEY-----)");
  }
}

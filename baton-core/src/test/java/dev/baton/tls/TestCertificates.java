package dev.baton.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PKI for TLS tests, made once per JVM with {@code openssl} (EC P-256 keys in PKCS#8,
 * valid for a day): a CA with a server certificate for {@code 127.0.0.1}/{@code localhost} and a
 * client certificate, and another CA with a client certificate of its own. Deleted when the JVM
 * exits.
 *
 * @param caCert the CA that signed the server and client certificates
 * @param serverCert server certificate (SAN IP 127.0.0.1, DNS localhost)
 * @param serverKey its key
 * @param clientCert client certificate signed by {@code caCert}
 * @param clientKey its key
 * @param otherCaCert a CA nobody trusts
 * @param otherClientCert a client certificate signed by {@code otherCaCert}
 * @param otherClientKey its key
 */
public record TestCertificates(
    Path dir,
    Path caCert,
    Path serverCert,
    Path serverKey,
    Path clientCert,
    Path clientKey,
    Path otherCaCert,
    Path otherClientCert,
    Path otherClientKey) {

  private static TestCertificates instance;

  /** The PKI of this JVM, made on first use. */
  public static synchronized TestCertificates get() {
    if (instance == null) {
      instance = generate();
    }
    return instance;
  }

  /** Writes {@code text} to a new file in the PKI's directory, for tests of bad files. */
  public Path write(String name, String text) {
    try {
      return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TestCertificates generate() {
    try {
      Path dir = Files.createTempDirectory("baton-pki");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
      Path ca = ca(dir, "ca");
      Path other = ca(dir, "other-ca");
      leaf(dir, "server", "ca", "serverAuth", "subjectAltName=IP:127.0.0.1,DNS:localhost");
      leaf(dir, "client", "ca", "clientAuth", null);
      leaf(dir, "other-client", "other-ca", "clientAuth", null);
      return new TestCertificates(
          dir,
          ca,
          dir.resolve("server.pem"),
          dir.resolve("server.key"),
          dir.resolve("client.pem"),
          dir.resolve("client.key"),
          other,
          dir.resolve("other-client.pem"),
          dir.resolve("other-client.key"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path ca(Path dir, String name) {
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".pem",
        "-days",
        "1",
        "-subj",
        "/CN=baton test " + name);
    return dir.resolve(name + ".pem");
  }

  private static void leaf(Path dir, String name, String ca, String usage, String san)
      throws IOException {
    openssl(
        dir,
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr",
        "-subj",
        "/CN=baton test " + name);
    String extensions = "extendedKeyUsage=" + usage + "\n" + (san == null ? "" : san + "\n");
    Files.writeString(dir.resolve(name + ".ext"), extensions);
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        ca + ".pem",
        "-CAkey",
        ca + ".key",
        "-CAcreateserial",
        "-out",
        name + ".pem",
        "-days",
        "1",
        "-extfile",
        name + ".ext");
  }

  private static void openssl(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("openssl.log").toFile())
              .start();
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "openssl failed: "
                + String.join(" ", command)
                + "\n"
                + Files.readString(dir.resolve("openssl.log")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary directory
    }
  }
}

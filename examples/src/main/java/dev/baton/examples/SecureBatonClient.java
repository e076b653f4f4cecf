package dev.baton.examples;

import dev.baton.caller.BatonClient;
import dev.baton.caller.BatonTls;
import java.nio.file.Path;

/**
 * How a caller's worker connects to a Baton server that is not on loopback: TLS, a client
 * certificate for a server started with {@code --tls-client-ca}, and an API key for {@code --auth
 * api-key}. Register {@code new AgentCallActivitiesImpl(baton)} with the client as in {@link
 * ExampleWorker}.
 */
public final class SecureBatonClient {

  private SecureBatonClient() {}

  /**
   * @param caFile PEM CA that signed the server's certificate ({@code BatonTls.systemTrust()} for a
   *     publicly trusted one)
   * @param certFile PEM client certificate signed by a CA of the server's {@code --tls-client-ca}
   * @param keyFile its unencrypted PKCS#8 PEM key
   * @param apiKey a key of scope {@code write}, from {@code baton api-key create}
   */
  public static BatonClient connect(
      String batonAddress, Path caFile, Path certFile, Path keyFile, String apiKey) {
    BatonTls tls = BatonTls.trusting(caFile).withClientCertificate(certFile, keyFile);
    return BatonClient.newBuilder(batonAddress).tls(tls).apiKey(apiKey).connect();
  }
}

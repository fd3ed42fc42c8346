package io.arbiter.testing;

import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * An HTTP client for a test server's HTTPS port on loopback: it trusts the self-signed certificate
 * Liberty generates on first start, whatever its name. Never for anything but loopback.
 */
public final class LoopbackTls {
  private LoopbackTls() {}

  public static HttpClient client() {
    try {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(
          null,
          new TrustManager[] {
            new X509TrustManager() {
              @Override
              public void checkClientTrusted(X509Certificate[] chain, String auth) {}

              @Override
              public void checkServerTrusted(X509Certificate[] chain, String auth) {}

              @Override
              public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
              }
            }
          },
          null);
      SSLParameters parameters = new SSLParameters();
      parameters.setEndpointIdentificationAlgorithm(null);
      return HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .sslContext(tls)
          .sslParameters(parameters)
          .connectTimeout(java.time.Duration.ofSeconds(5))
          .build();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}

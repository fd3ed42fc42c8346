package io.arbiter.client;

import io.arbiter.client.model.Problem;
import io.arbiter.testing.Api;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Call;

/**
 * The generated Java client as docs/clients.md tells a user to set it up: one {@link ApiClient} per
 * user, HTTP basic credentials through the document's {@code basic} security scheme, and an OkHttp
 * interceptor where an operation offers several media types and the caller wants one of them.
 */
final class ArbiterClients {

  private ArbiterClients() {}

  /** A client of the test server acting as {@code user} (a demo user; null: anonymous). */
  static ApiClient as(String user) {
    ApiClient client =
        new ApiClient() {
          /**
           * Every media type the operation lists. The generated client sends only the first JSON
           * one when there is one, and error answers list application/problem+json: a text or RDF
           * read would then ask for problem+json alone and be refused (406).
           */
          @Override
          public String selectHeaderAccept(String[] accepts) {
            return String.join(", ", accepts);
          }
        };
    client.setBasePath(Api.BASE);
    // Prefer: wait and graph reads that wait for their event may take longer than OkHttp's 10 s.
    client.setReadTimeout(60_000);
    if (user != null) {
      client.setUsername(user);
      client.setPassword(Api.PASSWORD);
    }
    return client;
  }

  /**
   * A client whose requests ask for {@code mediaType} alone: the generated methods send every media
   * type the operation lists, JSON first, so Turtle, TriG or CSV has to be asked for.
   */
  static ApiClient as(String user, String mediaType) {
    ApiClient client = as(user);
    client.setHttpClient(
        client
            .getHttpClient()
            .newBuilder()
            .addNetworkInterceptor(
                chain ->
                    chain.proceed(chain.request().newBuilder().header("Accept", mediaType).build()))
            .build());
    return client;
  }

  /**
   * A request body in a media type the generated method does not send (it sends JSON when the
   * operation takes JSON too): the policy YAML, through the client's own call building.
   */
  static <T> ApiResponse<T> post(
      ApiClient client, String path, String contentType, String body, Class<T> answer)
      throws ApiException {
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", contentType);
    headers.put("Accept", "application/json");
    Call call =
        client.buildCall(
            null,
            path,
            "POST",
            List.of(),
            List.of(),
            body,
            headers,
            Map.of(),
            Map.of(),
            new String[] {"basic"},
            null);
    return client.execute(call, answer);
  }

  /** The RFC 9457 problem an error answer carries, read with the generated model. */
  static Problem problem(ApiException error) throws IOException {
    return Problem.fromJson(error.getResponseBody());
  }
}

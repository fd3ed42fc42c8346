package io.arbiter.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A server-sent event stream of the test server over a socket of its own, so that hanging up is
 * exactly closing the connection (an HTTP client may keep a connection it was asked to cancel),
 * read line by line as the server writes it.
 */
public final class SseConnection implements AutoCloseable {

  /** An event: its name and its data (one data line, as Arbiter writes them). */
  public record Event(String name, String data) {}

  private final Socket socket;
  private final BufferedReader in;
  private final int status;

  /** Opens {@code path} as {@code user}; reads the status line and headers. */
  public SseConnection(String path, String user) throws IOException {
    URI base = URI.create(Api.BASE);
    socket = new Socket(base.getHost(), base.getPort());
    socket.setSoTimeout(10_000);
    String token =
        Base64.getEncoder()
            .encodeToString((user + ":" + Api.PASSWORD).getBytes(StandardCharsets.UTF_8));
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET "
                + path
                + " HTTP/1.1\r\nHost: "
                + base.getHost()
                + ":"
                + base.getPort()
                + "\r\nAccept: text/event-stream\r\nAuthorization: Basic "
                + token
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    String statusLine = in.readLine();
    if (statusLine == null) {
      throw new IOException("no response to GET " + path);
    }
    status = Integer.parseInt(statusLine.split(" ")[1]);
    for (String header = in.readLine(); header != null && !header.isEmpty(); ) {
      header = in.readLine();
    }
  }

  public int status() {
    return status;
  }

  /**
   * The next comment line ({@code :...}) of the body; chunk-size lines and blanks skipped.
   *
   * @throws SocketTimeoutException after 10 s without one
   */
  public String nextComment() throws IOException {
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.startsWith(":")) {
        return line;
      }
    }
    return null;
  }

  /**
   * The next event named {@code name}, skipping others and comments.
   *
   * @throws SocketTimeoutException after 10 s without a line
   */
  public Event next(String name) throws IOException {
    String event = null;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.startsWith("event:")) {
        event = line.substring(6).strip();
      } else if (line.startsWith("data:") && name.equals(event)) {
        return new Event(event, line.substring(5).strip());
      }
    }
    return null;
  }

  /**
   * The next event as written, with every line read up to the blank line that ends it (comments,
   * chunk-size lines and each field); {@code null} when the stream ends first. For tests that check
   * what the wire carries, not only the data.
   *
   * @throws SocketTimeoutException after 10 s without a line
   */
  public String nextRaw() throws IOException {
    StringBuilder raw = new StringBuilder();
    boolean field = false;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isEmpty()) {
        if (field) {
          return raw.toString();
        }
        continue;
      }
      raw.append(line).append('\n');
      field |= line.startsWith("event:") || line.startsWith("data:") || line.startsWith("id:");
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

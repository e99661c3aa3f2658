package io.haven.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** One HTTP request and its answer in the Supervisor's envelope. */
final class Call {
  /** Request bodies other than uploads are small JSON objects. */
  private static final int MAX_JSON = 1024 * 1024;

  final HttpExchange exchange;
  final List<String> params;
  /** The job this call started, if any; set by the handler. */
  String startedJob;

  Call(HttpExchange exchange, List<String> params) {
    this.exchange = exchange;
    this.params = params;
  }

  String param(int i) {
    return params.get(i);
  }

  /** The JSON body; an empty body is an empty object. */
  JsonNode json() throws IOException {
    byte[] body = exchange.getRequestBody().readNBytes(MAX_JSON + 1);
    if (body.length > MAX_JSON) {
      throw new ApiException.BadRequest("request body over " + MAX_JSON + " bytes");
    }
    if (body.length == 0) {
      return JsonNodeFactory.instance.objectNode();
    }
    JsonNode node = Wire.JSON.readTree(body);
    if (!node.isObject()) {
      throw new ApiException.BadRequest("the request body must be a JSON object");
    }
    return node;
  }

  /** The request body; a failure to read it (the caller went away) is {@link ApiException.ClientGone}. */
  InputStream body() {
    return new ClientBody(exchange.getRequestBody());
  }

  /**
   * Sends the answer's status and headers ({@code length} as {@code sendResponseHeaders} takes
   * it) and returns its body. A failure to send either (the caller closed the connection, or
   * the stopping agent did before a cancelled job answered) is {@link ApiException.ClientGone}.
   */
  OutputStream answer(int status, long length) throws IOException {
    return answer(exchange, status, length);
  }

  /** As {@link #answer(int, long)}, for an exchange that is no API call (the panel's files). */
  static OutputStream answer(HttpExchange exchange, int status, long length) throws IOException {
    toCaller(() -> exchange.sendResponseHeaders(status, length));
    return new ClientAnswer(exchange.getResponseBody());
  }

  /** One write to the caller's connection (sending, flushing, closing). */
  private interface Write {
    void run() throws IOException;
  }

  /** {@code write}, a failure of which means the caller closed the connection. */
  private static void toCaller(Write write) throws IOException {
    try {
      write.run();
    } catch (IOException e) {
      throw ApiException.ClientGone.midAnswer(e);
    }
  }

  private static final class ClientBody extends FilterInputStream {
    ClientBody(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw ApiException.ClientGone.midUpload(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw ApiException.ClientGone.midUpload(e);
      }
    }

    @Override
    public String toString() {
      return "ClientBody(" + in + ")";
    }
  }

  private static final class ClientAnswer extends FilterOutputStream {
    ClientAnswer(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      toCaller(() -> out.write(b, off, len));
    }

    @Override
    public void flush() throws IOException {
      toCaller(out::flush);
    }

    @Override
    public void close() throws IOException {
      toCaller(out::close);
    }

    @Override
    public String toString() {
      return "ClientAnswer(" + out + ")";
    }
  }

  Optional<String> header(String name) {
    return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
  }

  /** The first value of a query parameter. */
  Optional<String> query(String name) {
    String q = exchange.getRequestURI().getRawQuery();
    if (q == null) {
      return Optional.empty();
    }
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
        return Optional.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1),
            StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  void ok(JsonNode data) throws IOException {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("result", "ok");
    o.set("data", data);
    send(200, o);
  }

  void ok() throws IOException {
    ok(JsonNodeFactory.instance.objectNode());
  }

  void fail(Failure f, Optional<String> jobId) throws IOException {
    // A request refused before its body was read (a bad file name for an upload): read what
    // is left of a small body first, so the caller still sending it gets the answer, not a reset.
    try {
      long left = MAX_JSON;
      InputStream in = exchange.getRequestBody();
      for (long n; left > 0 && (n = in.skip(left)) > 0; ) {
        left -= n;
      }
    } catch (IOException gone) {
      // nobody is sending any more
    }
    ObjectNode o = f.envelope();
    jobId.ifPresent(id -> o.put("job_id", id));
    send(f.httpStatus(), o);
  }

  void send(int status, JsonNode body) throws IOException {
    byte[] bytes = Wire.JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    try (OutputStream out = answer(status, bytes.length)) {
      out.write(bytes);
    }
  }
}

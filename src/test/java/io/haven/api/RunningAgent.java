package io.haven.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.haven.archive.Compression;
import io.haven.config.Config;
import io.haven.device.SystemdNotify;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;

/** An agent served in this JVM on a free loopback port, and an HTTP client for it. */
final class RunningAgent implements AutoCloseable {
  static final String TOKEN = "test-token-0123456789abcdef";

  final Config config;
  final AgentServer daemon;
  final HttpClient http = HttpClient.newHttpClient();

  RunningAgent(Path dataRoot, Path backupDir) throws IOException {
    this(config(dataRoot, backupDir));
  }

  RunningAgent(Config config) throws IOException {
    this.config = config;
    this.daemon = AgentServer.start(config, "test", SystemdNotify.fromEnvironment());
  }

  /** An agent whose schedule retries a busy cycle after {@code retry}. */
  RunningAgent(Config config, java.time.Duration retry) throws IOException {
    this.config = config;
    this.daemon = AgentServer.start(config, "test", SystemdNotify.fromEnvironment(),
        java.time.Clock.systemDefaultZone(), retry);
  }

  /** The test agent's config: loopback on a free port, the test token. */
  static Config config(Path dataRoot, Path backupDir) {
    return new Config(dataRoot, backupDir, Compression.ZSTD, 2, new Config.Agent(
        "127.0.0.1", 0, Optional.of(TOKEN), Optional.empty(), Optional.empty()));
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + daemon.httpAddress().getPort() + path);
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN);
  }

  /** Status and parsed envelope. */
  record Answer(int status, JsonNode body) {
    JsonNode data() {
      return body.get("data");
    }
  }

  Answer send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), Wire.JSON.readTree(r.body()));
  }

  Answer get(String path) throws IOException, InterruptedException {
    return send(request(path).GET().build());
  }

  Answer post(String path, String json) throws IOException, InterruptedException {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  Answer delete(String path) throws IOException, InterruptedException {
    return send(request(path).DELETE().build());
  }

  @Override
  public void close() {
    daemon.close();
  }
}

package io.haven.api;

import io.haven.agent.FrontEnd;
import io.haven.agent.Service;
import io.haven.config.Config;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The agent's HTTP API and Unix socket, both serving one {@link Service}. */
final class Endpoints implements FrontEnd {
  private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);

  private final HttpApi http;
  private final SocketApi socket;
  private final Path socketPath;

  private Endpoints(HttpApi http, SocketApi socket, Path socketPath) {
    this.http = http;
    this.socket = socket;
    this.socketPath = socketPath;
  }

  /** Serves {@code service} on the config's HTTP address and socket. */
  static Endpoints start(Service service, String version) throws IOException {
    Config config = service.config();
    HttpApi http = HttpApi.start(service, new InetSocketAddress(config.agent().listenHost(),
        config.agent().listenPort()), Token.load(config), version);
    try {
      return new Endpoints(http, SocketApi.start(config.socket(), service), config.socket());
    } catch (IOException | RuntimeException e) {
      http.close();
      throw e;
    }
  }

  InetSocketAddress httpAddress() {
    return http.address();
  }

  Path socket() {
    return socketPath;
  }

  @Override
  public Optional<URI> panel() {
    InetSocketAddress at = http.address();
    String host = at.getAddress().isAnyLocalAddress() ? "127.0.0.1" : at.getHostString();
    return Optional.of(URI.create("http://" + host + ":" + at.getPort() + "/"));
  }

  @Override
  public void close() {
    http.close();
    try {
      socket.close();
    } catch (IOException e) {
      LOG.warn("Could not remove the socket {}: {}", socketPath, e.getMessage());
    }
  }
}

package io.haven.api;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.eclipse.jetty.http.spi.JettyHttpServer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP API's server: Jetty, behind the JDK's {@code com.sun.net.httpserver} interface. Jetty
 * reads a request's headers without holding a thread, so no number of idle or half-sent
 * requests keeps a signed-in caller waiting, and it closes a connection on which nothing moved
 * for {@link #IDLE}: a stalled upload then fails and lets go of the job lock. A call that is
 * only waiting for its job (a backup made in the foreground) is not idle and is not cut. The
 * JDK's own server reads headers on its few worker threads, and its only deadline
 * (sun.net.httpserver.maxReqTime) also counts the body, so it would cut every long upload.
 */
final class HttpServers {
  /** How long a connection may be silent while a request or its body is being read. */
  static final Duration IDLE = Duration.ofSeconds(
      Long.getLong("haven.http.idle-seconds", 30));
  /** Threads for calls whose headers have arrived; event streams hold one each. */
  static final int THREADS = 32;

  private HttpServers() {}

  /** A server bound to {@code address} (port 0: any free port), not yet started. */
  static HttpServer create(InetSocketAddress address) throws IOException {
    QueuedThreadPool threads = new QueuedThreadPool(THREADS, 2);
    threads.setName("haven-http");
    threads.setDaemon(true);
    Server jetty = new Server(threads);
    jetty.setHandler(new ContextHandlerCollection());
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    // Jetty looks the host's name up ("localhost"); callers print and connect to the address
    // as it was given.
    InetAddress given = InetAddress.getByAddress(address.getAddress().getAddress());
    JettyHttpServer server = new JettyHttpServer(jetty, false, http) {
      @Override
      public InetSocketAddress getAddress() {
        return new InetSocketAddress(given, super.getAddress().getPort());
      }
    };
    server.bind(address, 0);
    for (var c : jetty.getConnectors()) {
      ((ServerConnector) c).setIdleTimeout(IDLE.toMillis());
    }
    return server;
  }
}

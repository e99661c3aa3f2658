package io.haven.api;

import io.haven.agent.Daemon;
import io.haven.config.Config;
import io.haven.device.SystemdNotify;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** The agent as {@code haven agent} runs it: the {@link Daemon} served over HTTP and the socket. */
public final class AgentServer implements AutoCloseable {
  private final Daemon daemon;
  private final Endpoints endpoints;

  private AgentServer(Daemon daemon, Endpoints endpoints) {
    this.daemon = daemon;
    this.endpoints = endpoints;
  }

  /** Recovers, then serves; returns once both the HTTP API and the socket accept calls. */
  public static AgentServer start(Config config, String version, SystemdNotify notify)
      throws IOException {
    return start(config, version, notify, Clock.systemDefaultZone(), Daemon.RETRY);
  }

  /**
   * As above; {@code scheduleClock} says when (and in which zone) schedule times fall, and a
   * cycle that finds the job lock taken tries again after {@code retry}.
   */
  public static AgentServer start(Config config, String version, SystemdNotify notify,
      Clock scheduleClock, Duration retry) throws IOException {
    AtomicReference<Endpoints> endpoints = new AtomicReference<>();
    Daemon daemon = Daemon.start(config, version, notify, service -> {
      endpoints.set(Endpoints.start(service, version));
      return endpoints.get();
    }, scheduleClock, retry);
    return new AgentServer(daemon, endpoints.get());
  }

  public Daemon daemon() {
    return daemon;
  }

  /** Lets the web panel save its settings in {@code configFile}; without it they are read-only. */
  public void settingsIn(Path configFile) {
    daemon.settingsIn(configFile);
  }

  public InetSocketAddress httpAddress() {
    return endpoints.httpAddress();
  }

  public Path socket() {
    return endpoints.socket();
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitStop() throws InterruptedException {
    daemon.awaitStop();
  }

  @Override
  public void close() {
    daemon.close();
  }
}

package io.haven.agent;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * What serves the {@link Service} to other programs while the {@link Daemon} runs (the HTTP API
 * and the socket): started once the start-up cleanup is done, closed after the last job ended.
 */
public interface FrontEnd extends AutoCloseable {
  /** Starts the front ends on {@code service}; returns once they accept calls. */
  @FunctionalInterface
  interface Starter {
    FrontEnd start(Service service) throws IOException;
  }

  /** The web panel's address, for Home Assistant's device page; empty when there is none. */
  Optional<URI> panel();

  @Override
  void close();
}

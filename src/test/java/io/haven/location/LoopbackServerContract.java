package io.haven.location;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link LocationContract} against one of {@link LoopbackServers}' servers, started once for the
 * test class: a login with a password, and a server the tests can kill and start again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LoopbackServerContract extends LocationContract {
  LoopbackServers.Server server;

  /** Starts this class's server (skipping, or failing in CI, when its program is missing). */
  abstract LoopbackServers.Server startLoopbackServer() throws Exception;

  /** The name the test's locations get. */
  abstract String locationName();

  @BeforeAll
  void startOnce() throws Exception {
    server = startLoopbackServer();
  }

  @AfterAll
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  @Override
  Location open(String folder) throws IOException {
    return Locations.open(server.spec(locationName(), folder));
  }

  @Override
  Path storage(String folder) {
    return server.storage(folder);
  }

  @Override
  boolean hasPassword() {
    return true;
  }

  @Override
  Location openWithWrongPassword(String folder) throws IOException {
    return Locations.open(server.spec(locationName(), folder)
        .withSecret(LocationSpec.PASSWORD, wrongSecret()));
  }

  @Override
  boolean canKillServer() {
    return true;
  }

  @Override
  void killServer() {
    server.kill();
  }

  @Override
  void startServer() throws IOException {
    server.restart();
  }
}

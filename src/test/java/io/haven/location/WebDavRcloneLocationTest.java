package io.haven.location;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** WebDAV against {@code rclone serve webdav} on 127.0.0.1, with basic authentication. */
class WebDavRcloneLocationTest extends LocationContract {
  private static LoopbackServers.Server server;

  @BeforeAll
  static void startRclone() throws Exception {
    server = LoopbackServers.webdavRclone();
  }

  @AfterAll
  static void stopRclone() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  @Override
  Location open(String folder) throws IOException {
    return Locations.open(server.spec("dav", folder));
  }

  @Override
  Path storage(String folder) {
    return server.storage(folder);
  }

  @Override
  String secret() {
    return LoopbackServers.WEBDAV_PASSWORD;
  }

  @Override
  boolean hasPassword() {
    return true;
  }

  @Override
  Location openWithWrongPassword(String folder) throws IOException {
    return Locations.open(server.spec("dav", folder)
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

package io.haven.location;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** WebDAV against {@code rclone serve webdav} on 127.0.0.1, with basic authentication. */
class WebDavRcloneLocationTest extends LocationContract {
  private static final String PASSWORD = "dav-secret-8c1e";
  private static Path dir;
  private static Path data;
  private static int port;
  private static Process server;

  @BeforeAll
  static void startRclone() throws Exception {
    TestServers.require("/usr/bin/rclone", "rclone");
    dir = TestServers.tempDir("haven-rclone-dav");
    data = Files.createDirectory(dir.resolve("data"));
    port = TestServers.freePort();
    startNow();
  }

  private static void startNow() throws IOException {
    server = TestServers.start(List.of("/usr/bin/rclone", "serve", "webdav", data.toString(),
        "--config", "/dev/null", "--addr", "127.0.0.1:" + port, "--user", "haven", "--pass",
        PASSWORD), dir.resolve("server.log"), port);
  }

  @AfterAll
  static void stopRclone() throws IOException {
    TestServers.stop(server);
    TestServers.deleteTree(dir);
  }

  private static LocationSpec spec(String folder, String password) {
    return LocationSpec.of("dav", "webdav://haven@127.0.0.1:" + port + "/backups/" + folder)
        .withSecret(LocationSpec.PASSWORD, password);
  }

  @Override
  Location open(String folder) throws IOException {
    return Locations.open(spec(folder, PASSWORD));
  }

  @Override
  Path storage(String folder) {
    return data.resolve("backups").resolve(folder);
  }

  @Override
  String secret() {
    return PASSWORD;
  }

  @Override
  boolean hasPassword() {
    return true;
  }

  @Override
  Location openWithWrongPassword(String folder) throws IOException {
    return Locations.open(spec(folder, wrongSecret()));
  }

  @Override
  boolean canKillServer() {
    return true;
  }

  @Override
  void killServer() {
    TestServers.stop(server);
  }

  @Override
  void startServer() throws IOException {
    startNow();
  }
}

package io.haven.location;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * SFTP with a password login, against {@code rclone serve sftp}: OpenSSH would need a system
 * account with a password, which a test must not create. This server also lacks OpenSSH's
 * posix-rename, so the replace-by-remove-then-rename path is exercised here.
 */
class SftpPasswordLocationTest extends LocationContract {
  private static RcloneSftpServer server;

  @BeforeAll
  static void startRcloneSftp() throws Exception {
    server = RcloneSftpServer.start();
  }

  @AfterAll
  static void stopRcloneSftp() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private static LocationSpec spec(String folder, String password) {
    return LocationSpec.of("nas", "sftp://" + RcloneSftpServer.USER + "@127.0.0.1:" + server.port
            + "/haven/" + folder)
        .withOption("hostKey", server.hostKeyFingerprint)
        .withSecret(LocationSpec.PASSWORD, password);
  }

  @Override
  Location open(String folder) throws IOException {
    return Locations.open(spec(folder, RcloneSftpServer.PASSWORD));
  }

  @Override
  Path storage(String folder) {
    return server.data.resolve("haven").resolve(folder);
  }

  @Override
  String secret() {
    return RcloneSftpServer.PASSWORD;
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
    server.kill();
  }

  @Override
  void startServer() throws IOException {
    server.startAgain();
  }
}

package io.haven.location;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rclone program as a transport: an {@code sftp} remote in a temporary rclone.conf, served by
 * {@code rclone serve sftp} on 127.0.0.1, so logins can fail and the server can be killed. A
 * {@code local} remote is checked too.
 */
class RcloneLocationTest extends LocationContract {
  private static RcloneSftpServer server;
  private static Path config;

  @BeforeAll
  static void startRcloneServer() throws Exception {
    server = RcloneSftpServer.start();
    Files.writeString(server.dir.resolve("known_hosts"), server.knownHostsLine());
    config = server.dir.resolve("rclone.conf");
    Files.writeString(config, remote("nas", RcloneSftpServer.PASSWORD)
        + remote("wrong", "wrong-secret-7f3a") + "[disk]\ntype = local\n\n");
  }

  private static String remote(String name, String password) throws Exception {
    String obscured = TestServers.run(List.of("/usr/bin/rclone", "obscure", password), null).trim();
    return String.join("\n",
        "[" + name + "]",
        "type = sftp",
        "host = 127.0.0.1",
        "port = " + server.port,
        "user = " + RcloneSftpServer.USER,
        "pass = " + obscured,
        "known_hosts_file = " + server.dir.resolve("known_hosts"),
        "shell_type = none",
        "", "");
  }

  @AfterAll
  static void stopRcloneServer() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private static LocationSpec spec(String remote, String folder) {
    return LocationSpec.of("cloud", "rclone:" + remote + ":haven/" + folder)
        .withOption("config", config.toString());
  }

  @Override
  Location open(String folder) throws IOException {
    return Locations.open(spec("nas", folder));
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
    return Locations.open(spec("wrong", folder));
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

  @Test
  void localRemoteWritesThroughATemporary() throws IOException {
    Path dir = server.dir.resolve("local");
    try (Location local = Locations.open(LocationSpec.of("disk", "rclone:disk:" + dir)
        .withOption("config", config.toString()))) {
      local.write("a.tar", out -> out.write(new byte[1000]));
      assertEquals(List.of("a.tar"), filesIn(dir));
      assertEquals(1000, local.list().get(0).size());
    }
  }
}

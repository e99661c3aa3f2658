package io.haven.location;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code rclone serve sftp} on 127.0.0.1 with a user and password: SFTP's password login. */
final class RcloneSftpServer implements AutoCloseable {
  static final String USER = "haven";
  static final String PASSWORD = "sftp-secret-2e77";

  final Path dir;
  final Path data;
  final int port;
  final String hostKeyFingerprint;
  private Process process;

  private RcloneSftpServer(Path dir, int port, String fingerprint) throws IOException {
    this.dir = dir;
    this.data = Files.createDirectory(dir.resolve("data"));
    this.port = port;
    this.hostKeyFingerprint = fingerprint;
  }

  static RcloneSftpServer start() throws Exception {
    TestServers.require("/usr/bin/rclone", "rclone");
    Path dir = TestServers.tempDir("haven-rclone-sftp");
    TestServers.sshKey(dir.resolve("hostkey"));
    // An empty list, so rclone does not fall back to ~/.ssh/authorized_keys.
    Files.createFile(dir.resolve("authorized_keys"));
    RcloneSftpServer server = new RcloneSftpServer(dir, TestServers.freePort(),
        TestServers.fingerprint(dir.resolve("hostkey.pub")));
    server.startAgain();
    return server;
  }

  void startAgain() throws IOException {
    process = TestServers.start(List.of("/usr/bin/rclone", "serve", "sftp", data.toString(),
        "--config", "/dev/null", "--addr", "127.0.0.1:" + port, "--key",
        dir.resolve("hostkey").toString(), "--authorized-keys",
        dir.resolve("authorized_keys").toString(), "--user", USER, "--pass", PASSWORD),
        dir.resolve("server.log"), port);
  }

  /** The host's line for an OpenSSH known_hosts file. */
  String knownHostsLine() throws IOException {
    String[] key = Files.readString(dir.resolve("hostkey.pub")).trim().split(" ");
    return "[127.0.0.1]:" + port + " " + key[0] + " " + key[1] + "\n";
  }

  void kill() {
    TestServers.stop(process);
  }

  @Override
  public void close() throws IOException {
    kill();
    TestServers.deleteTree(dir);
  }
}

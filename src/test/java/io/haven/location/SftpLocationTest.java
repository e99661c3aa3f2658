package io.haven.location;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SFTP against OpenSSH's sshd on 127.0.0.1, logging in with an ed25519 key. */
class SftpLocationTest extends LocationContract {
  private static Path dir;
  private static Path data;
  private static int port;
  private static String hostKey;
  private static Process sshd;

  @BeforeAll
  static void startSshd() throws Exception {
    TestServers.require("/usr/sbin/sshd", "openssh-server");
    dir = TestServers.tempDir("haven-sshd");
    data = Files.createDirectory(dir.resolve("data"));
    TestServers.sshKey(dir.resolve("hostkey"));
    TestServers.sshKey(dir.resolve("userkey"));
    TestServers.sshKey(dir.resolve("otherkey"));
    Files.copy(dir.resolve("userkey.pub"), dir.resolve("authorized_keys"));
    hostKey = TestServers.fingerprint(dir.resolve("hostkey.pub"));
    port = TestServers.freePort();
    Files.writeString(dir.resolve("sshd_config"), String.join("\n",
        "Port " + port,
        "ListenAddress 127.0.0.1",
        "HostKey " + dir.resolve("hostkey"),
        "PidFile " + dir.resolve("sshd.pid"),
        "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
        "PermitRootLogin prohibit-password",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        "StrictModes no",
        "Subsystem sftp internal-sftp",
        ""));
    // sshd refuses to start without its privilege separation directory.
    Files.createDirectories(Path.of("/run/sshd"));
    startServerNow();
  }

  private static void startServerNow() throws IOException {
    sshd = TestServers.start(List.of("/usr/sbin/sshd", "-D", "-e", "-f",
        dir.resolve("sshd_config").toString()), dir.resolve("sshd.log"), port);
  }

  @AfterAll
  static void stopSshd() throws IOException {
    TestServers.stop(sshd);
    TestServers.deleteTree(dir);
  }

  private static LocationSpec spec(String folder, Path key) {
    return LocationSpec.of("nas", "sftp://" + System.getProperty("user.name") + "@127.0.0.1:"
            + port + data.resolve(folder))
        .withOption("hostKey", hostKey)
        .withSecret(LocationSpec.KEY_FILE, key.toString());
  }

  @Override
  Location open(String folder) throws IOException {
    return Locations.open(spec(folder, dir.resolve("userkey")));
  }

  @Override
  Path storage(String folder) {
    return data.resolve(folder);
  }

  @Override
  boolean hasPassword() {
    return true;
  }

  @Override
  Location openWithWrongPassword(String folder) throws IOException {
    return Locations.open(spec(folder, dir.resolve("otherkey")));
  }

  @Override
  boolean canKillServer() {
    return true;
  }

  @Override
  void killServer() {
    TestServers.stop(sshd);
  }

  @Override
  void startServer() throws IOException {
    startServerNow();
  }

  @Test
  void unknownHostKeyIsRefusedShowingItsFingerprint() {
    LocationSpec pinnedWrong = spec(folder, dir.resolve("userkey"))
        .withOption("hostKey", "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    LocationException.Refused e = assertThrows(LocationException.Refused.class,
        () -> Locations.open(pinnedWrong));
    assertTrue(e.getMessage().contains("(it is " + hostKey + ")"), e.getMessage());
    assertTrue(e.getMessage().endsWith("trust it with: haven locations set nas"
        + " --trust-host-key"), e.getMessage());
  }

  @Test
  void theServersKeyIsShownAsOpenSshPrintsItWithoutLoggingIn() throws IOException {
    LocationSpec noLogin = LocationSpec.of("nas", "sftp://nobody@127.0.0.1:" + port + "/x")
        .withOption("knownHosts", dir.resolve("no-known-hosts").toString());
    HostKey unknown = Locations.hostKey(noLogin).orElseThrow();
    assertEquals(hostKey, unknown.fingerprint());
    assertEquals("ssh-ed25519", unknown.algorithm());
    assertFalse(unknown.trusted());

    HostKey pinned = Locations.hostKey(noLogin.withOption("hostKey", hostKey)).orElseThrow();
    assertTrue(pinned.trusted());
    assertEquals(Optional.empty(), Locations.hostKey(LocationSpec.of("disk", "file:///tmp")));
  }

  @Test
  void atomicRenameIsOffered() {
    assertTrue(location.capabilities().atomicRename());
  }
}

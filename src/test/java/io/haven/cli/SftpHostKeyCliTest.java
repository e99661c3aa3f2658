package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.location.LocationSpec;
import io.haven.location.LoopbackServers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code locations add} shows an SFTP server's key that is not trusted yet, as OpenSSH prints
 * it, and pins it on request; {@code locations set} changes a location in place. Real sshd.
 */
class SftpHostKeyCliTest {
  static LoopbackServers.Server sftp;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    sftp = LoopbackServers.sftp();
  }

  @AfterAll
  static void stop() throws Exception {
    if (sftp != null) {
      sftp.close();
    }
  }

  @Test
  void anUntrustedHostKeyIsShownThenPinnedInPlaceWithoutRemovingTheLocation() throws Exception {
    Cli cli = new Cli(dir, Files.createDirectories(dir.resolve("data")));
    LocationSpec server = sftp.spec("nas", "pinned");
    String fingerprint = server.option("hostKey").orElseThrow();
    Path noKnownHosts = dir.resolve("known_hosts");

    Cli.Run added = cli.run("locations", "add", "nas", server.url().toString(), "--key-file",
        server.secret(LocationSpec.KEY_FILE).orElseThrow(), "--option",
        "knownHosts=" + noKnownHosts).ok();
    assertTrue(added.out().contains("presents the host key " + fingerprint + " (ssh-ed25519),"
        + " which is not trusted yet."), added.out());
    assertTrue(added.out().contains("haven locations set nas --trust-host-key"), added.out());
    assertFalse(cli.run("locations", "list").ok().out().contains("hostKey"));
    Cli.Run refused = cli.run("locations", "test", "nas");
    assertEquals(14, refused.code(), refused.err());

    Cli.Run pinned = cli.run("locations", "set", "nas", "--trust-host-key").ok();
    assertTrue(pinned.out().contains("Pinned the host key of 127.0.0.1:"), pinned.out());
    assertTrue(cli.run("locations", "list").ok().out().contains("hostKey=" + fingerprint));
    cli.run("locations", "test", "nas").ok();

    cli.run("locations", "set", "nas", "--option", "knownHosts=").ok();
    String list = cli.run("locations", "list").ok().out();
    assertFalse(list.contains("knownHosts"), list);
    assertTrue(list.contains("secrets: [keyFile]"), list);
  }

  @Test
  void addWithTrustHostKeyPinsAtOnce() throws Exception {
    Cli cli = new Cli(dir, Files.createDirectories(dir.resolve("data")));
    LocationSpec server = sftp.spec("nas", "at-once");
    cli.run("locations", "add", "nas", server.url().toString(), "--key-file",
        server.secret(LocationSpec.KEY_FILE).orElseThrow(), "--trust-host-key").ok();
    assertTrue(cli.run("locations", "list").ok().out()
        .contains("hostKey=" + server.option("hostKey").orElseThrow()));
    cli.run("locations", "test", "nas").ok();
  }
}

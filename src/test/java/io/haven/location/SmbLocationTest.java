package io.haven.location;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SMB 3 against Samba's smbd on 127.0.0.1 and a high port, with its own config and user db. */
class SmbLocationTest extends LocationContract {
  private static final String PASSWORD = "smb-secret-93ad";
  private static final String SHARE = "backup";
  private static Path dir;
  private static Path share;
  private static int port;
  private static Process smbd;

  @BeforeAll
  static void startSmbd() throws Exception {
    TestServers.require("/usr/sbin/smbd", "samba");
    TestServers.require("/usr/bin/smbpasswd", "samba");
    dir = TestServers.tempDir("haven-smbd");
    share = Files.createDirectory(dir.resolve("share"));
    for (String sub : List.of("run", "lock", "state", "cache", "private", "log", "ncalrpc")) {
      Files.createDirectory(dir.resolve(sub));
    }
    port = TestServers.freePort();
    Files.writeString(dir.resolve("smb.conf"), config());
    TestServers.run(List.of("/usr/bin/smbpasswd", "-c", dir.resolve("smb.conf").toString(), "-s",
        "-a", user()), PASSWORD + "\n" + PASSWORD + "\n");
    startNow();
  }

  private static String user() {
    // Samba maps the login to a Unix account; the one running the tests always exists.
    return System.getProperty("user.name");
  }

  private static String config() {
    return String.join("\n",
        "[global]",
        "server role = standalone server",
        "interfaces = lo",
        "bind interfaces only = yes",
        "smb ports = " + port,
        "disable netbios = yes",
        "pid directory = " + dir.resolve("run"),
        "lock directory = " + dir.resolve("lock"),
        "state directory = " + dir.resolve("state"),
        "cache directory = " + dir.resolve("cache"),
        "private dir = " + dir.resolve("private"),
        "ncalrpc dir = " + dir.resolve("ncalrpc"),
        "passdb backend = tdbsam:" + dir.resolve("private/passdb.tdb"),
        "log file = " + dir.resolve("log/log.%m"),
        "load printers = no",
        "printcap name = /dev/null",
        "disable spoolss = yes",
        "[" + SHARE + "]",
        "path = " + share,
        "read only = no",
        "valid users = " + user(),
        "");
  }

  private static void startNow() throws IOException {
    smbd = TestServers.start(List.of("/usr/sbin/smbd", "--foreground", "--no-process-group",
        "--debug-stdout", "-s", dir.resolve("smb.conf").toString()), dir.resolve("smbd.log"),
        port);
  }

  @AfterAll
  static void stopSmbd() throws IOException {
    TestServers.stop(smbd);
    TestServers.deleteTree(dir);
  }

  private static LocationSpec spec(String folder, String password) {
    return LocationSpec.of("nas", "smb://" + user() + "@127.0.0.1:" + port + "/" + SHARE
            + "/haven/" + folder)
        .withSecret(LocationSpec.PASSWORD, password);
  }

  @Override
  Location open(String folder) throws IOException {
    return Locations.open(spec(folder, PASSWORD));
  }

  @Override
  Path storage(String folder) {
    return share.resolve("haven").resolve(folder);
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
    TestServers.stop(smbd);
  }

  @Override
  void startServer() throws IOException {
    startNow();
  }

  @Test
  void freeSpaceOfTheShareIsKnown() throws IOException {
    assertTrue(location.capabilities().knowsFreeSpace());
    assertTrue(location.freeSpace().orElseThrow() > 0);
  }
}

package io.haven.location;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SMB 3 against Samba's smbd on 127.0.0.1 and a high port, with its own config and user db. */
class SmbLocationTest extends LocationContract {
  private static LoopbackServers.Server smbd;

  @BeforeAll
  static void startSmbd() throws Exception {
    smbd = LoopbackServers.smb();
  }

  @AfterAll
  static void stopSmbd() throws IOException {
    if (smbd != null) {
      smbd.close();
    }
  }

  @Override
  Location open(String folder) throws IOException {
    return Locations.open(smbd.spec("nas", folder));
  }

  @Override
  Path storage(String folder) {
    return smbd.storage(folder);
  }

  @Override
  String secret() {
    return LoopbackServers.SMB_PASSWORD;
  }

  @Override
  boolean hasPassword() {
    return true;
  }

  @Override
  Location openWithWrongPassword(String folder) throws IOException {
    return Locations.open(smbd.spec("nas", folder)
        .withSecret(LocationSpec.PASSWORD, wrongSecret()));
  }

  @Override
  boolean canKillServer() {
    return true;
  }

  @Override
  void killServer() {
    smbd.kill();
  }

  @Override
  void startServer() throws IOException {
    smbd.restart();
  }

  @Test
  void freeSpaceOfTheShareIsKnown() throws IOException {
    assertTrue(location.capabilities().knowsFreeSpace());
    assertTrue(location.freeSpace().orElseThrow() > 0);
  }
}

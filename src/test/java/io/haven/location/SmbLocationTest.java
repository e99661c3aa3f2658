package io.haven.location;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** SMB 3 against Samba's smbd on 127.0.0.1 and a high port, with its own config and user db. */
class SmbLocationTest extends LoopbackServerContract {
  @Override
  LoopbackServers.Server startLoopbackServer() throws Exception {
    return LoopbackServers.smb();
  }

  @Override
  String locationName() {
    return "nas";
  }

  @Override
  String secret() {
    return LoopbackServers.SMB_PASSWORD;
  }

  @Test
  void freeSpaceOfTheShareIsKnown() throws IOException {
    assertTrue(location.capabilities().knowsFreeSpace());
    assertTrue(location.freeSpace().orElseThrow() > 0);
  }
}

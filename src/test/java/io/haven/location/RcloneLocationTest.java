package io.haven.location;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rclone program as a transport: an {@code sftp} remote in a temporary rclone.conf, served by
 * {@code rclone serve sftp} on 127.0.0.1, so logins can fail and the server can be killed. A
 * {@code local} remote is checked too.
 */
class RcloneLocationTest extends LoopbackServerContract {
  @Override
  LoopbackServers.Server startLoopbackServer() throws Exception {
    return LoopbackServers.rclone();
  }

  @Override
  String locationName() {
    return "cloud";
  }

  // The same rclone.conf as the server's spec, with another of its remotes.
  private LocationSpec onRemote(String name, String remote, String path) {
    String config = server.spec(name, "").option("config").orElseThrow();
    return LocationSpec.of(name, "rclone:" + remote + ":" + path).withOption("config", config);
  }

  @Override
  String secret() {
    return RcloneSftpServer.PASSWORD;
  }

  // A wrong password lives in its own remote of the rclone.conf, not in the spec.
  @Override
  Location openWithWrongPassword(String folder) throws IOException {
    return Locations.open(onRemote("cloud", LoopbackServers.RCLONE_WRONG_REMOTE,
        "haven/" + folder));
  }

  @Override
  String wrongSecret() {
    return LoopbackServers.RCLONE_WRONG_PASSWORD;
  }

  @Test
  void localRemoteWritesThroughATemporary(@TempDir Path dir) throws IOException {
    try (Location local = Locations.open(onRemote("disk", LoopbackServers.RCLONE_LOCAL_REMOTE,
        dir.toString()))) {
      local.write("a.tar", out -> out.write(new byte[1000]));
      assertEquals(List.of("a.tar"), filesIn(dir));
      assertEquals(1000, local.list().get(0).size());
    }
  }
}

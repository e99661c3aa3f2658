package io.haven.location;

/** WebDAV against {@code rclone serve webdav} on 127.0.0.1, with basic authentication. */
class WebDavRcloneLocationTest extends LoopbackServerContract {
  @Override
  LoopbackServers.Server startLoopbackServer() throws Exception {
    return LoopbackServers.webdavRclone();
  }

  @Override
  String locationName() {
    return "dav";
  }

  @Override
  String secret() {
    return LoopbackServers.WEBDAV_PASSWORD;
  }
}

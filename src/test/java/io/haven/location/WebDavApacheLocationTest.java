package io.haven.location;

/** WebDAV against Apache httpd's mod_dav on 127.0.0.1, with its own config and basic auth. */
class WebDavApacheLocationTest extends LoopbackServerContract {
  @Override
  LoopbackServers.Server startLoopbackServer() throws Exception {
    return LoopbackServers.webdavApache();
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

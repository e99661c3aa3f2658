package io.haven.location;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** WebDAV against Apache httpd's mod_dav on 127.0.0.1, with its own config and basic auth. */
class WebDavApacheLocationTest extends LocationContract {
  private static final String PASSWORD = "apache-secret-41d0";
  private static final String MODULES = "/usr/lib/apache2/modules/";
  private static Path dir;
  private static Path data;
  private static int port;
  private static Process httpd;

  @BeforeAll
  static void startApache() throws Exception {
    TestServers.require("/usr/sbin/apache2", "apache2");
    dir = TestServers.tempDir("haven-apache");
    data = Files.createDirectory(dir.resolve("dav"));
    Path run = Files.createDirectory(dir.resolve("run"));
    port = TestServers.freePort();
    TestServers.run(List.of("htpasswd", "-bc", dir.resolve("htpasswd").toString(), "haven",
        PASSWORD), null);
    Files.writeString(dir.resolve("httpd.conf"), config(run));
    // Apache's workers run as www-data and must write into the DAV folder and lock database.
    TestServers.run(List.of("chown", "-R", "www-data:www-data", data.toString(), run.toString()),
        null);
    startNow();
  }

  private static void startNow() throws IOException {
    httpd = TestServers.start(List.of("/usr/sbin/apache2", "-f",
        dir.resolve("httpd.conf").toString(), "-DFOREGROUND"), dir.resolve("console.log"), port);
  }

  private static String config(Path run) {
    StringBuilder conf = new StringBuilder();
    for (String module : List.of("mpm_event", "authn_core", "authn_file", "authz_core",
        "authz_user", "auth_basic", "dav", "dav_fs")) {
      conf.append("LoadModule ").append(module).append("_module ").append(MODULES).append("mod_")
          .append(module).append(".so\n");
    }
    return conf + String.join("\n",
        "ServerRoot " + dir,
        "ServerName localhost",
        "Listen 127.0.0.1:" + port,
        "PidFile " + run.resolve("httpd.pid"),
        "DefaultRuntimeDir " + run,
        "Mutex file:" + run,
        "ErrorLog " + dir.resolve("error.log"),
        "User www-data",
        "Group www-data",
        "DAVLockDB " + run.resolve("davlock"),
        "DocumentRoot " + data,
        "<Directory " + data + ">",
        "  Dav On",
        "  AuthType Basic",
        "  AuthName haven",
        "  AuthUserFile " + dir.resolve("htpasswd"),
        "  Require valid-user",
        "</Directory>",
        "");
  }

  @AfterAll
  static void stopApache() throws IOException {
    TestServers.stop(httpd);
    TestServers.deleteTree(dir);
  }

  private static LocationSpec spec(String folder, String password) {
    return LocationSpec.of("dav", "webdav://haven@127.0.0.1:" + port + "/backups/" + folder)
        .withSecret(LocationSpec.PASSWORD, password);
  }

  @Override
  Location open(String folder) throws IOException {
    return Locations.open(spec(folder, PASSWORD));
  }

  @Override
  Path storage(String folder) {
    return data.resolve("backups").resolve(folder);
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
    TestServers.stop(httpd);
  }

  @Override
  void startServer() throws IOException {
    startNow();
  }
}

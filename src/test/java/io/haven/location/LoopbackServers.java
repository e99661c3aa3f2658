package io.haven.location;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The location tests' loopback servers, also for tests in other packages and the offsite bench:
 * OpenSSH's sshd (SFTP, key login), s3proxy (S3, real SigV4), Apache's mod_dav and
 * {@code rclone serve webdav} (WebDAV, basic auth), Samba's smbd (SMB 3, password login) and
 * the rclone program with an sftp remote, skipping (or failing in CI) when the program is
 * missing.
 */
public final class LoopbackServers {
  private LoopbackServers() {}

  /** A running server that can be killed and started again on the same port and storage. */
  public interface Server extends AutoCloseable {
    /** A spec for {@code folder} under the server's root, with working credentials. */
    LocationSpec spec(String name, String folder);

    /** The local directory that holds {@code folder}'s objects. */
    Path storage(String folder);

    void kill();

    void restart() throws IOException;

    @Override
    void close() throws IOException;
  }

  /** OpenSSH sshd on 127.0.0.1 with an ed25519 user key. */
  public static Server sftp() throws Exception {
    TestServers.require("/usr/sbin/sshd", "openssh-server");
    Path dir = TestServers.tempDir("haven-sshd");
    Path data = Files.createDirectory(dir.resolve("data"));
    TestServers.sshKey(dir.resolve("hostkey"));
    TestServers.sshKey(dir.resolve("userkey"));
    Files.copy(dir.resolve("userkey.pub"), dir.resolve("authorized_keys"));
    String hostKey = TestServers.fingerprint(dir.resolve("hostkey.pub"));
    int port = TestServers.freePort();
    Files.writeString(dir.resolve("sshd_config"), String.join("\n", "Port " + port,
        "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("hostkey"),
        "PidFile " + dir.resolve("sshd.pid"),
        "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
        "PermitRootLogin prohibit-password", "PasswordAuthentication no",
        "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no",
        "Subsystem sftp internal-sftp", ""));
    Files.createDirectories(Path.of("/run/sshd"));
    List<String> command = List.of("/usr/sbin/sshd", "-D", "-e", "-f",
        dir.resolve("sshd_config").toString());
    return new Running(dir, command, port) {
      @Override
      public LocationSpec spec(String name, String folder) {
        return LocationSpec.of(name, "sftp://" + System.getProperty("user.name")
                + "@127.0.0.1:" + port + data.resolve(folder))
            .withOption("hostKey", hostKey)
            .withSecret(LocationSpec.KEY_FILE, dir.resolve("userkey").toString());
      }

      @Override
      public Path storage(String folder) {
        return data.resolve(folder);
      }
    };
  }

  public static final String S3_ACCESS_KEY = "haven-access";
  public static final String S3_SECRET_KEY = "s3-secret-5b9e";
  public static final String S3_BUCKET = "backups";

  /** s3proxy on 127.0.0.1 with its file-system backend and bucket {@value #S3_BUCKET}. */
  public static Server s3() throws Exception {
    String jar = System.getProperty("haven.s3proxyJar", "");
    TestServers.requireFile(jar.isEmpty() ? "s3proxy.jar" : jar,
        "Maven copies org.gaul:s3proxy there in process-test-resources; run the tests with mvn");
    Path dir = TestServers.tempDir("haven-s3proxy");
    Path data = Files.createDirectory(dir.resolve("data"));
    int port = TestServers.freePort();
    Files.writeString(dir.resolve("s3proxy.conf"), String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port, "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + S3_ACCESS_KEY, "s3proxy.credential=" + S3_SECRET_KEY,
        "jclouds.provider=filesystem", "jclouds.filesystem.basedir=" + data, ""));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = List.of(java, "-Xmx256m", "-jar", jar, "--properties",
        dir.resolve("s3proxy.conf").toString());
    Running server = new Running(dir, command, port) {
      @Override
      public LocationSpec spec(String name, String folder) {
        return LocationSpec.of(name, "s3://" + S3_BUCKET + "/haven/" + folder)
            .withOption("endpoint", "http://127.0.0.1:" + port)
            .withOption("pathStyle", "true")
            .withSecret(LocationSpec.ACCESS_KEY, S3_ACCESS_KEY)
            .withSecret(LocationSpec.SECRET_KEY, S3_SECRET_KEY);
      }

      @Override
      public Path storage(String folder) {
        return data.resolve(S3_BUCKET).resolve("haven").resolve(folder);
      }
    };
    try (S3Client s3 = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(S3_ACCESS_KEY, S3_SECRET_KEY))).build()) {
      s3.createBucket(b -> b.bucket(S3_BUCKET));
    }
    return server;
  }

  public static final String WEBDAV_USER = "haven";
  public static final String WEBDAV_PASSWORD = "dav-secret-8c1e";
  private static final String APACHE_MODULES = "/usr/lib/apache2/modules/";

  /** Apache httpd's mod_dav on 127.0.0.1 with its own config and basic auth. */
  public static Server webdavApache() throws Exception {
    TestServers.require("/usr/sbin/apache2", "apache2");
    Path dir = TestServers.tempDir("haven-apache");
    Path data = Files.createDirectory(dir.resolve("dav"));
    Path run = Files.createDirectory(dir.resolve("run"));
    int port = TestServers.freePort();
    TestServers.run(List.of("htpasswd", "-bc", dir.resolve("htpasswd").toString(), WEBDAV_USER,
        WEBDAV_PASSWORD), null);
    Files.writeString(dir.resolve("httpd.conf"), apacheConfig(dir, data, run, port));
    // Apache's workers run as www-data and must write into the DAV folder and lock database.
    TestServers.run(List.of("chown", "-R", "www-data:www-data", data.toString(), run.toString()),
        null);
    List<String> command = List.of("/usr/sbin/apache2", "-f",
        dir.resolve("httpd.conf").toString(), "-DFOREGROUND");
    return webdav(dir, command, port, data);
  }

  private static String apacheConfig(Path dir, Path data, Path run, int port) {
    StringBuilder conf = new StringBuilder();
    for (String module : List.of("mpm_event", "authn_core", "authn_file", "authz_core",
        "authz_user", "auth_basic", "dav", "dav_fs")) {
      conf.append("LoadModule ").append(module).append("_module ").append(APACHE_MODULES)
          .append("mod_").append(module).append(".so\n");
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
        // Apache 2.4.54 and later refuse request bodies over 1 GiB by default (HTTP 413).
        "LimitRequestBody 0",
        "<Directory " + data + ">",
        "  Dav On",
        "  AuthType Basic",
        "  AuthName haven",
        "  AuthUserFile " + dir.resolve("htpasswd"),
        "  Require valid-user",
        "</Directory>",
        "");
  }

  /** {@code rclone serve webdav} on 127.0.0.1 with basic auth. */
  public static Server webdavRclone() throws Exception {
    TestServers.require("/usr/bin/rclone", "rclone");
    Path dir = TestServers.tempDir("haven-rclone-dav");
    Path data = Files.createDirectory(dir.resolve("data"));
    int port = TestServers.freePort();
    List<String> command = List.of("/usr/bin/rclone", "serve", "webdav", data.toString(),
        "--config", "/dev/null", "--addr", "127.0.0.1:" + port, "--user", WEBDAV_USER, "--pass",
        WEBDAV_PASSWORD);
    return webdav(dir, command, port, data);
  }

  // Both WebDAV servers serve folder under /backups/ of their data directory.
  private static Server webdav(Path dir, List<String> command, int port, Path data)
      throws IOException {
    return new Running(dir, command, port) {
      @Override
      public LocationSpec spec(String name, String folder) {
        return LocationSpec.of(name, "webdav://" + WEBDAV_USER + "@127.0.0.1:" + port
                + "/backups/" + folder)
            .withSecret(LocationSpec.PASSWORD, WEBDAV_PASSWORD);
      }

      @Override
      public Path storage(String folder) {
        return data.resolve("backups").resolve(folder);
      }
    };
  }

  public static final String SMB_PASSWORD = "smb-secret-93ad";
  public static final String SMB_SHARE = "backup";

  /**
   * Samba's smbd on 127.0.0.1 and a high port, with its own config and user db, sharing
   * {@value #SMB_SHARE} to the user running the tests with password {@value #SMB_PASSWORD}.
   */
  public static Server smb() throws Exception {
    TestServers.require("/usr/sbin/smbd", "samba");
    TestServers.require("/usr/bin/smbpasswd", "samba");
    Path dir = TestServers.tempDir("haven-smbd");
    Path share = Files.createDirectory(dir.resolve("share"));
    for (String sub : List.of("run", "lock", "state", "cache", "private", "log", "ncalrpc")) {
      Files.createDirectory(dir.resolve(sub));
    }
    // Samba maps the login to a Unix account; the one running the tests always exists.
    String user = System.getProperty("user.name");
    int port = TestServers.freePort();
    Path config = dir.resolve("smb.conf");
    Files.writeString(config, String.join("\n",
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
        "[" + SMB_SHARE + "]",
        "path = " + share,
        "read only = no",
        "valid users = " + user,
        ""));
    TestServers.run(List.of("/usr/bin/smbpasswd", "-c", config.toString(), "-s", "-a", user),
        SMB_PASSWORD + "\n" + SMB_PASSWORD + "\n");
    List<String> command = List.of("/usr/sbin/smbd", "--foreground", "--no-process-group",
        "--debug-stdout", "-s", config.toString());
    return new Running(dir, command, port) {
      @Override
      public LocationSpec spec(String name, String folder) {
        return LocationSpec.of(name, "smb://" + user + "@127.0.0.1:" + port + "/" + SMB_SHARE
                + "/haven/" + folder)
            .withSecret(LocationSpec.PASSWORD, SMB_PASSWORD);
      }

      @Override
      public Path storage(String folder) {
        return share.resolve("haven").resolve(folder);
      }
    };
  }

  /** The rclone.conf remote that logs in to {@link #rclone()}'s server with its password. */
  public static final String RCLONE_REMOTE = "nas";
  /** A remote to the same server with the wrong password {@value #RCLONE_WRONG_PASSWORD}. */
  public static final String RCLONE_WRONG_REMOTE = "wrong";
  public static final String RCLONE_WRONG_PASSWORD = "wrong-secret-7f3a";
  /** A {@code local} remote, for paths on this machine. */
  public static final String RCLONE_LOCAL_REMOTE = "disk";

  /**
   * The rclone program as a transport: {@code rclone serve sftp} on 127.0.0.1 with a password
   * login, reached through remote {@value #RCLONE_REMOTE} in a temporary rclone.conf (the spec's
   * option {@code config}), which also holds {@value #RCLONE_WRONG_REMOTE} and
   * {@value #RCLONE_LOCAL_REMOTE}.
   */
  public static Server rclone() throws Exception {
    RcloneSftpServer server = RcloneSftpServer.start();
    Files.writeString(server.dir.resolve("known_hosts"), server.knownHostsLine());
    Path config = server.dir.resolve("rclone.conf");
    Files.writeString(config, rcloneRemote(server, RCLONE_REMOTE, RcloneSftpServer.PASSWORD)
        + rcloneRemote(server, RCLONE_WRONG_REMOTE, RCLONE_WRONG_PASSWORD)
        + "[" + RCLONE_LOCAL_REMOTE + "]\ntype = local\n\n");
    return new Server() {
      @Override
      public LocationSpec spec(String name, String folder) {
        return LocationSpec.of(name, "rclone:" + RCLONE_REMOTE + ":haven/" + folder)
            .withOption("config", config.toString());
      }

      @Override
      public Path storage(String folder) {
        return server.data.resolve("haven").resolve(folder);
      }

      @Override
      public void kill() {
        server.kill();
      }

      @Override
      public void restart() throws IOException {
        server.startAgain();
      }

      @Override
      public void close() throws IOException {
        server.close();
      }
    };
  }

  private static String rcloneRemote(RcloneSftpServer server, String name, String password)
      throws Exception {
    String obscured = TestServers.run(List.of("/usr/bin/rclone", "obscure", password), null).trim();
    return String.join("\n",
        "[" + name + "]",
        "type = sftp",
        "host = 127.0.0.1",
        "port = " + server.port,
        "user = " + RcloneSftpServer.USER,
        "pass = " + obscured,
        "known_hosts_file = " + server.dir.resolve("known_hosts"),
        "shell_type = none",
        "", "");
  }

  private abstract static class Running implements Server {
    private final Path dir;
    private final List<String> command;
    private final int port;
    private Process process;

    Running(Path dir, List<String> command, int port) throws IOException {
      this.dir = dir;
      this.command = command;
      this.port = port;
      restart();
    }

    @Override
    public void kill() {
      TestServers.stop(process);
    }

    @Override
    public void restart() throws IOException {
      process = TestServers.start(command, dir.resolve("server.log"), port);
    }

    @Override
    public void close() throws IOException {
      TestServers.stop(process);
      TestServers.deleteTree(dir);
    }
  }
}

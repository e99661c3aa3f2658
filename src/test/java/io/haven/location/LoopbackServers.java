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
 * The location tests' loopback servers, also for tests in other packages: OpenSSH's sshd (SFTP,
 * key login), s3proxy (S3, real SigV4) and Samba's smbd (SMB 3, password login), skipping (or
 * failing in CI) when the program is missing.
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

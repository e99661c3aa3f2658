package io.haven.mqtt;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Mosquitto on 127.0.0.1 with its own config: a free port, a password file, no
 * anonymous logins, no persistence. {@link #stop()} and {@link #start()} keep the port.
 */
final class Mosquitto implements AutoCloseable {
  static final String USER = "haven";
  static final String PASSWORD = "s3cret pass";

  private final Path dir;
  private final int port;
  private final Path binary;
  private Process process;

  private Mosquitto(Path dir, Path binary) throws IOException {
    this.dir = dir;
    this.binary = binary;
    this.port = freePort();
  }

  /** Starts a broker in {@code dir}; skips the test (or fails under DISALLOW_SKIP) without it. */
  static Mosquitto start(Path dir) throws Exception {
    Path binary = program("mosquitto");
    Path passwd = program("mosquitto_passwd");
    Mosquitto m = new Mosquitto(dir, binary);
    Path passwords = dir.resolve("passwd");
    run(List.of(passwd.toString(), "-b", "-c", passwords.toString(), USER, PASSWORD));
    Files.writeString(dir.resolve("mosquitto.conf"), "listener " + m.port + " 127.0.0.1\n"
        + "allow_anonymous false\npassword_file " + passwords + "\npersistence false\n"
        + "log_dest stderr\n"
        // Started as root, mosquitto would switch to user mosquitto, who cannot read @TempDir.
        + "user " + System.getProperty("user.name") + "\n");
    m.start();
    return m;
  }

  int port() {
    return port;
  }

  String url() {
    return "mqtt://127.0.0.1:" + port;
  }

  String tcp() {
    return "tcp://127.0.0.1:" + port;
  }

  void start() throws Exception {
    process = new ProcessBuilder(binary.toString(), "-c", dir.resolve("mosquitto.conf").toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()))
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!listening()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        fail("mosquitto did not listen on " + port + ":\n"
            + Files.readString(dir.resolve("mosquitto.log")));
      }
      Thread.sleep(20);
    }
  }

  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean listening() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      fail(command + " failed: " + out);
    }
  }

  private static Path program(String name) {
    for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String why = name + " is missing: apt-get install mosquitto";
    if ("1".equals(System.getenv("HAVEN_TEST_DISALLOW_SKIP"))) {
      fail(why);
    }
    Assumptions.assumeTrue(false, why);
    throw new AssertionError(why);
  }
}

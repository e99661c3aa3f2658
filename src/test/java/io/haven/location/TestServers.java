package io.haven.location;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Starts and stops the real servers the Location tests talk to, on 127.0.0.1 only. A missing
 * program skips the test and names the package to install, or fails it when
 * {@code HAVEN_TEST_DISALLOW_SKIP=1} (as in CI).
 */
final class TestServers {
  /** How long a server may take to open its port; s3proxy needs about two seconds. */
  private static final long START_DEADLINE_MS = 30_000;

  private TestServers() {}

  /** Skips (or in CI fails) unless {@code program} is installed. */
  static void require(String program, String debianPackage) {
    if (Files.isExecutable(Path.of(program))) {
      return;
    }
    skip(program + " is not installed (apt-get install " + debianPackage + ")");
  }

  /** Skips (or in CI fails) unless {@code file} exists; {@code why} says how it gets there. */
  static void requireFile(String file, String why) {
    if (!Files.isRegularFile(Path.of(file))) {
      skip(file + " is missing: " + why);
    }
  }

  private static void skip(String why) {
    if ("1".equals(System.getenv("HAVEN_TEST_DISALLOW_SKIP"))) {
      fail(why + " and HAVEN_TEST_DISALLOW_SKIP=1");
    }
    Assumptions.abort(why);
  }

  /** A port that was free on 127.0.0.1 a moment ago. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** A temporary directory that other users (Apache's www-data) may enter. */
  static Path tempDir(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  /** Starts {@code command}, output to {@code log}, and waits until {@code port} accepts. */
  static Process start(List<String> command, Path log, int port) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    long deadline = System.currentTimeMillis() + START_DEADLINE_MS;
    while (!accepts(port)) {
      if (!process.isAlive()) {
        fail(command.get(0) + " exited with " + process.exitValue() + ": " + tail(log));
      }
      if (System.currentTimeMillis() > deadline) {
        stop(process);
        fail(command.get(0) + " did not open port " + port + ": " + tail(log));
      }
      pause(50);
    }
    return process;
  }

  /** Runs a helper command to its end and returns its output; fails the test if it fails. */
  static String run(List<String> command, String stdin) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (var in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      fail(String.join(" ", command) + " failed: " + output);
    }
    return output;
  }

  /** Kills the server and every process it started (sshd and smbd fork one per connection). */
  static void stop(Process process) {
    if (process == null) {
      return;
    }
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(10, TimeUnit.SECONDS);
      for (ProcessHandle child : children) {
        child.onExit().get(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      // A child that outlives the wait dies with the JVM's process group or stays harmlessly.
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** The fingerprint OpenSSH prints for a public key file, such as {@code SHA256:abc...}. */
  static String fingerprint(Path publicKey) throws IOException, InterruptedException {
    String line = run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", publicKey.toString()),
        null);
    return line.split(" ")[1];
  }

  static void sshKey(Path file) throws IOException, InterruptedException {
    run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", file.toString()), null);
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String tail(Path log) throws IOException {
    String text = Files.exists(log) ? Files.readString(log) : "";
    return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

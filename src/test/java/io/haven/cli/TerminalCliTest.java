package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.haven.location.LocationSpec;
import io.haven.location.LoopbackServers;
import io.haven.testing.GenData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Haven as a user runs it: its own JVM, the real stderr (where library logs would land), the
 * environment, and a real terminal made by util-linux's {@code script} for typed passwords and
 * confirmations.
 */
class TerminalCliTest {
  private static final Path SCRIPT = Path.of("/usr/bin/script");

  @TempDir Path tmp;

  private List<String> haven(Cli cli, String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--config", cli.config.toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** What one run in its own JVM printed and returned. */
  record Run(int code, String out, String err) {}

  private Run run(List<String> cmd, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(
        Path.of("/dev/null").toFile()));
    pb.environment().remove(PasswordOptions.ENV);
    pb.environment().putAll(env);
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("haven did not finish: " + cmd);
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void anUntrustedSftpHostKeyLeavesOnlyHavensWordsOnStderr() throws Exception {
    try (LoopbackServers.Server sftp = LoopbackServers.sftp()) {
      Cli cli = new Cli(tmp, tmp.resolve("root"));
      LocationSpec server = sftp.spec("nas", "untrusted");
      cli.run("locations", "add", "nas", server.url().toString(), "--key-file",
          server.secret(LocationSpec.KEY_FILE).orElseThrow(), "--option",
          "knownHosts=" + tmp.resolve("known_hosts")).ok();
      GenData.copyTo(cli.root, 2);
      String slug = cli.run("backups", "new", "-f", "ssl").ok().out().trim();

      Run r = run(haven(cli, "backups", "copy", slug, "-l", "nas"), Map.of());
      assertEquals(14, r.code(), r.err());
      assertEquals("", r.out());
      List<String> lines = r.err().lines().toList();
      assertEquals(1, lines.size(), r.err());
      assertTrue(lines.get(0).startsWith("error: copy to nas failed: The host key of sftp://"),
          r.err());
      assertTrue(lines.get(0).contains("haven locations set nas --trust-host-key"), r.err());
    }
  }

  @Test
  void aRestorePrintsItsPreflightOnceAndNoProgressLog() throws Exception {
    Cli cli = new Cli(tmp, tmp.resolve("root"));
    GenData.copyTo(cli.root, 2);
    String slug = cli.run("backups", "new", "-f", "ssl").ok().out().trim();
    Run r = run(haven(cli, "backups", "restore", slug, "-f", "ssl"), Map.of());
    assertEquals(0, r.code(), r.err());
    assertEquals(1, r.err().lines().filter(l -> l.contains("The restore needs")).count(),
        r.err());
    assertFalse(r.err().contains("Jobs - job"), r.err());
    assertTrue(r.out().startsWith("Restored ssl from " + slug), r.out());
  }

  @Test
  void thePasswordComesFromTheEnvironment() throws Exception {
    Cli cli = new Cli(tmp, tmp.resolve("root"));
    GenData.copyTo(cli.root, 2);
    Run made = run(haven(cli, "backups", "new", "-f", "ssl"),
        Map.of(PasswordOptions.ENV, "from the environment"));
    assertEquals(0, made.code(), made.err());
    String slug = made.out().trim();
    assertEquals(11, cli.run("verify", slug).code(), "protected");
    cli.run("verify", slug, "--password", "from the environment").ok();
    Run read = run(haven(cli, "verify", slug), Map.of(PasswordOptions.ENV,
        "from the environment"));
    assertEquals(0, read.code(), read.err());
  }

  @Test
  void aPasswordIsTypedTwiceWithoutEchoAndRemoveAsks() throws Exception {
    if (!Files.isExecutable(SCRIPT)) {
      if ("1".equals(System.getenv("HAVEN_TEST_DISALLOW_SKIP"))) {
        fail("missing /usr/bin/script (bsdutils)");
      }
      Assumptions.assumeTrue(false, "skipped: needs /usr/bin/script (bsdutils)");
    }
    Cli cli = new Cli(tmp, tmp.resolve("root"));
    GenData.copyTo(cli.root, 2);
    try (OnTerminal t = new OnTerminal(haven(cli, "backups", "new", "-f", "ssl", "--password"))) {
      t.answer("Password: ", "typed secret");
      t.answer("Password again: ", "typed secret");
      assertEquals(0, t.exit(), t.seen());
      assertFalse(t.seen().contains("typed secret"), "echoed: " + t.seen());
    }
    String slug = cli.run("backups", "list").ok().out().lines().skip(1).findFirst()
        .orElseThrow().substring(0, 8);
    cli.run("verify", slug, "--password", "typed secret").ok();

    try (OnTerminal t = new OnTerminal(haven(cli, "backups", "new", "-f", "ssl", "--password"))) {
      t.answer("Password: ", "one");
      t.answer("Password again: ", "two");
      assertEquals(2, t.exit(), t.seen());
      assertTrue(t.seen().contains("error: the two passwords differ; nothing was done"),
          t.seen());
    }

    try (OnTerminal t = new OnTerminal(haven(cli, "backups", "remove", slug))) {
      t.answer("[y/N] ", "n");
      assertEquals(15, t.exit(), t.seen());
      assertTrue(t.seen().contains("Delete backup " + slug + " ("), t.seen());
    }
    assertTrue(Files.exists(cli.backupDir.resolve(slug + ".tar")));
    try (OnTerminal t = new OnTerminal(haven(cli, "backups", "remove", slug))) {
      t.answer("[y/N] ", "y");
      assertEquals(0, t.exit(), t.seen());
    }
    assertFalse(Files.exists(cli.backupDir.resolve(slug + ".tar")));
  }

  /** A command on a terminal of its own, answered as a person would: after each prompt. */
  private static final class OnTerminal implements AutoCloseable {
    private final Process process;
    private final InputStream screen;
    private final OutputStream keyboard;
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

    OnTerminal(List<String> cmd) throws IOException {
      String line = cmd.stream().map(a -> "'" + a.replace("'", "'\\''") + "'")
          .collect(Collectors.joining(" "));
      ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "-qec", line, "/dev/null")
          .redirectErrorStream(true);
      pb.environment().remove(PasswordOptions.ENV);
      process = pb.start();
      screen = process.getInputStream();
      keyboard = process.getOutputStream();
      // Only a guard against a hang: the test waits for prompts, not for time.
      Thread guard = new Thread(() -> {
        try {
          if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
          }
        } catch (InterruptedException ignored) {
          process.destroyForcibly();
        }
      });
      guard.setDaemon(true);
      guard.start();
    }

    /** Waits until {@code prompt} is on the screen, then types {@code text} and Enter. */
    void answer(String prompt, String text) throws IOException {
      int from = seen.size();
      while (!seen.toString(StandardCharsets.UTF_8).substring(from).contains(prompt)) {
        int b = screen.read();
        if (b < 0) {
          fail("no '" + prompt + "' before the end: " + seen());
        }
        seen.write(b);
      }
      keyboard.write((text + "\n").getBytes(StandardCharsets.UTF_8));
      keyboard.flush();
    }

    int exit() throws Exception {
      screen.transferTo(seen);
      return process.waitFor();
    }

    String seen() {
      return seen.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }
}

package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs {@code haven} in-process on a config of its own, and the independent Python reader. */
final class Cli {
  static final Path PYTHON = Path.of("/usr/bin/python3");

  final Path config;
  final Path root;
  final Path backupDir;

  Cli(Path dir, Path root) throws IOException {
    this.root = root;
    this.backupDir = dir.resolve("backup");
    this.config = dir.resolve("haven-" + root.getFileName() + ".yaml");
    Files.writeString(config, "data_root: " + root + "\nbackup_dir: " + backupDir
        + "\ncompression_workers: 1\n");
  }

  /** What one run printed and returned. */
  record Run(int code, String out, String err) {
    Run ok() {
      assertEquals(0, code, "exit code; stderr: " + err + "\nstdout: " + out);
      return this;
    }
  }

  Run run(String... args) {
    return run(config, args);
  }

  /** Runs {@code haven --config config args}. */
  static Run run(Path config, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    int code = Main.execute(all.toArray(String[]::new), new PrintWriter(out, true),
        new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  /** Skips (or fails under HAVEN_TEST_DISALLOW_SKIP=1) without python3-cryptography/nacl. */
  static void needPythonCrypto() throws Exception {
    boolean present = Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c",
        "import cryptography, nacl.bindings, nacl.pwhash").redirectErrorStream(true).start()
        .waitFor() == 0;
    if (!present) {
      String missing = "/usr/bin/python3 with python3-cryptography and python3-nacl";
      if ("1".equals(System.getenv("HAVEN_TEST_DISALLOW_SKIP"))) {
        fail("missing " + missing);
      }
      Assumptions.assumeTrue(false, "skipped: needs " + missing);
    }
  }

  /** Runs ha_reader.py; returns its stdout, or fails with its stderr. */
  static String reader(String... args) throws Exception {
    Path script = Path.of(Cli.class.getResource("ha_reader.py").toURI());
    List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), script.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    var err = p.getErrorStream();
    String out = new String(p.getInputStream().readAllBytes());
    String errText = new String(err.readAllBytes());
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      fail("ha_reader.py " + args[0] + " failed: " + errText);
    }
    return out;
  }
}

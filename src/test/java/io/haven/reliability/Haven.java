package io.haven.reliability;

import io.haven.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the haven command on one data root and backup directory: in this JVM through
 * {@link Main#execute}, or as its own process (so that it can be killed).
 */
final class Haven {
  private final Path config;
  final Path root;
  final Path backupDir;

  Haven(Path workDir, Path root, Path backupDir) throws IOException {
    this.root = root;
    this.backupDir = backupDir;
    this.config = workDir.resolve("haven-" + Math.abs(root.hashCode()) + ".yaml");
    Files.writeString(config, "data_root: " + root + "\nbackup_dir: " + backupDir + "\n");
  }

  /** What one command did. */
  record Run(int exit, String out, String err) {
    /** A stack trace or the bug exit code: Haven failed in a way it did not expect. */
    boolean crashed() {
      return exit == 1 || err.contains("\tat ") || err.contains("unexpected failure");
    }

    @Override
    public String toString() {
      return "exit " + exit + "\nout: " + out + "\nerr: " + err;
    }
  }

  Run run(String... args) {
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.execute(all.toArray(String[]::new), new PrintWriter(out, true),
        new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }

  /** A separate JVM running {@code haven args}, configured through the environment. */
  ProcessBuilder fork(Map<String, String> env, String... args) {
    return fork("-Xmx128m", env, args);
  }

  /** The same with the heap limit given, e.g. "-Xmx64m" to prove bounded memory. */
  ProcessBuilder fork(String heap, Map<String, String> env, String... args) {
    return fork(List.of(heap), env, args);
  }

  /** The same with JVM options given (a heap limit, system properties). */
  ProcessBuilder fork(List<String> jvm, Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(jvm);
    cmd.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("HAVEN_CONFIG");
    pb.environment().put("HAVEN_DATA_ROOT", root.toString());
    pb.environment().put("HAVEN_BACKUP_DIR", backupDir.toString());
    pb.environment().putAll(env);
    return pb;
  }

  /** The slug of the only backup, or fails. */
  String onlySlug() {
    Run list = run("backups", "list", "--raw-json");
    String out = list.out();
    int at = out.indexOf("\"slug\" : \"");
    if (at < 0) {
      throw new AssertionError("no backup listed: " + list);
    }
    return out.substring(at + 10, out.indexOf('"', at + 10));
  }
}

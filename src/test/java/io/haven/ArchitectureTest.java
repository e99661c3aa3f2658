package io.haven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Dependencies point down: a package may import only the packages below it. */
class ArchitectureTest {
  // Each package and the Haven packages it may use.
  private static final Map<String, List<String>> ALLOWED = Map.ofEntries(
      Map.entry("failure", List.of()),
      Map.entry("archive", List.of("failure")),
      Map.entry("device", List.of("failure")),
      Map.entry("location", List.of("failure")),
      // restic repositories are read and written in Haven's archive terms over its locations
      Map.entry("restic", List.of("failure", "archive", "location")),
      Map.entry("mqtt", List.of("failure")),
      Map.entry("key", List.of("failure")),
      // config names the status LED the device package drives
      Map.entry("config", List.of("failure", "archive", "mqtt", "device")),
      Map.entry("tree", List.of("failure", "archive")),
      Map.entry("store", List.of("failure", "archive", "tree", "location")),
      // backup and restore run the configured service hooks
      Map.entry("backup", List.of("failure", "archive", "tree", "store", "device", "config")),
      // restore reads the source facts that backup records
      Map.entry("restore", List.of("failure", "archive", "tree", "store", "device", "config",
          "backup")),
      // agent: a location that is a restic repository holds backups as snapshots
      Map.entry("agent", List.of("failure", "archive", "tree", "store", "backup", "restore",
          "restic", "device", "location", "config", "mqtt", "key")),
      Map.entry("api", List.of("failure", "archive", "tree", "store", "backup", "restore",
          "device", "location", "config", "mqtt", "key", "agent")),
      Map.entry("cli", List.of("failure", "archive", "tree", "store", "backup", "restore",
          "device", "location", "config", "mqtt", "key", "agent", "api")));

  private static final Pattern IMPORT = Pattern.compile(
      "^import (?:static )?io\\.haven\\.(\\w+)\\.", Pattern.MULTILINE);
  // A Haven type named in full inside code, which no import shows.
  private static final Pattern QUALIFIED = Pattern.compile("\\bio\\.haven\\.\\w+\\.[A-Z]");

  private static final Path SRC = Path.of("src/main/java/io/haven");

  /** Every main source file, by its path relative to {@link #SRC}. */
  private static List<Path> sources() throws IOException {
    try (Stream<Path> files = Files.walk(SRC)) {
      return files.filter(p -> p.toString().endsWith(".java")).map(SRC::relativize).toList();
    }
  }

  @Test
  void noPackageImportsUpward() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Path f : sources()) {
      String pkg = f.getName(0).toString();
      List<String> allowed = ALLOWED.get(pkg);
      if (allowed == null) {
        violations.add(f + ": package '" + pkg + "' has no place in ArchitectureTest.ALLOWED");
        continue;
      }
      Matcher m = IMPORT.matcher(Files.readString(SRC.resolve(f)));
      while (m.find()) {
        String used = m.group(1);
        if (!used.equals(pkg) && !allowed.contains(used)) {
          violations.add(f + " imports io.haven." + used);
        }
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void havenTypesAreImportedNotNamedInFull() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Path f : sources()) {
      List<String> lines = Files.readAllLines(SRC.resolve(f));
      for (int i = 0; i < lines.size(); i++) {
        String code = code(lines.get(i));
        if (!code.startsWith("import ") && !code.startsWith("package ")
            && QUALIFIED.matcher(code).find()) {
          violations.add(f + ":" + (i + 1) + ": " + code);
        }
      }
    }
    assertEquals(List.of(), violations);
  }

  /**
   * One service layer: only {@code agent} makes, restores and estimates backups and builds the
   * verbs' {@code Backups}, so the command line, the socket, HTTP, the schedule and MQTT take the
   * same road; the daemon (its timer, MQTT link and LED) lives with it, not in {@code api}.
   */
  @Test
  void backupsAreMadeOnlyThroughTheServiceLayerAndTheDaemonLivesWithIt() throws IOException {
    Pattern bypass = Pattern.compile(
        "\\bnew (?:[\\w.]+\\.)?(?:Backups|BackupCreator|Estimator|OffsiteBackups)\\("
        + "|^import io\\.haven\\.backup\\.(?:BackupCreator|Estimator);", Pattern.MULTILINE);
    List<String> violations = new ArrayList<>();
    for (Path f : sources()) {
      if (!List.of("agent", "backup", "restore").contains(f.getName(0).toString())
          && bypass.matcher(Files.readString(SRC.resolve(f))).find()) {
        violations.add(f.toString());
      }
    }
    for (String daemon : List.of("Daemon", "ScheduleTimer", "MqttLink", "JobLight", "Service")) {
      if (!Files.isRegularFile(SRC.resolve("agent").resolve(daemon + ".java"))) {
        violations.add("agent/" + daemon + ".java is missing");
      }
    }
    assertEquals(List.of(), violations);
  }

  /**
   * Where a backup is, is a {@code Place}: the backup directory's name ".local" is spelled in
   * code once, in {@code agent/Place.java}; {@code api/OwnPage.java} spells mDNS host names.
   */
  @Test
  void theBackupDirectorysNameIsSpelledOnce() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Path f : sources()) {
      if (f.equals(Path.of("agent/Place.java")) || f.equals(Path.of("api/OwnPage.java"))) {
        continue;
      }
      List<String> lines = Files.readAllLines(SRC.resolve(f));
      for (int i = 0; i < lines.size(); i++) {
        if (code(lines.get(i)).contains("\".local\"")) {
          violations.add(f + ":" + (i + 1) + ": " + lines.get(i).strip());
        }
      }
    }
    assertEquals(List.of(), violations);
  }

  // The line without a comment: Javadoc links may name a type in full.
  private static String code(String line) {
    String t = line.strip();
    if (t.startsWith("*") || t.startsWith("/*") || t.startsWith("//")) {
      return "";
    }
    int comment = t.indexOf("//");
    return comment < 0 ? t : t.substring(0, comment);
  }
}

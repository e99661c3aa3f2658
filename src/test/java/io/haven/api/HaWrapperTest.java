package io.haven.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** image-overlay/usr/bin/ha, run by /bin/sh with a {@code haven} of the test's on PATH. */
class HaWrapperTest {
  private static final Path HA = Path.of("image-overlay/usr/bin/ha").toAbsolutePath();

  @TempDir Path tmp;
  private Path bin;

  @BeforeEach
  void echoingHaven() throws IOException {
    bin = Files.createDirectories(tmp.resolve("bin"));
    // Prints each argument in brackets, so spaces inside one stay visible.
    executable(bin.resolve("haven"), "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]' \"$a\";"
        + " done\necho\n");
  }

  private static void executable(Path file, String script) throws IOException {
    Files.writeString(file, script);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  record Run(int exit, String out, String err) {}

  private Run ha(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("/bin/sh", HA.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Run(p.exitValue(), out, err);
  }

  private String mapped(String... args) throws Exception {
    Run r = ha(args);
    assertEquals(0, r.exit(), r.err());
    return r.out();
  }

  @Test
  void backupsVerbsAndTheirAliasesMapOntoHavenBackups() throws Exception {
    assertEquals("[backups][list]", mapped("backups"));
    assertEquals("[backups][list][--raw-json]", mapped("bk", "--raw-json"));
    assertEquals("[backups][info][abc12345]", mapped("backup", "inf", "abc12345"));
    assertEquals("[backups][info][--raw-json][abc12345]",
        mapped("backups", "--raw-json", "info", "abc12345"));
    assertEquals("[backups][new][--name][before upgrade][-a][core_mosquitto][-f][share]"
        + "[--uncompressed][--homeassistant-exclude-database]", mapped("back", "create",
        "--name", "before upgrade", "-a", "core_mosquitto", "-f", "share", "--uncompressed",
        "--homeassistant-exclude-database", "--no-progress"));
    assertEquals("[backups][new][--name][x][--password][p]",
        mapped("backups", "backup", "--name", "x", "--password", "p", "-l"));
    assertEquals("[backups][restore][abc12345][--homeassistant][--location][nas]",
        mapped("backups", "restore", "abc12345", "--homeassistant=true", "--location=nas"));
    assertEquals("[backups][restore][abc12345][-f][share]",
        mapped("backups", "restore", "abc12345", "--homeassistant=false", "-f", "share"));
    for (String alias : List.of("remove", "delete", "del", "rem", "rm")) {
      assertEquals("[backups][remove][--yes][abc12345]", mapped("backups", alias, "abc12345"));
    }
    assertEquals("[backups][reload]", mapped("backups", "refresh"));
  }

  @Test
  void anythingElseIsNotHandledAndExitsTwo() throws Exception {
    for (String[] args : List.of(new String[] {"core", "restart"},
        new String[] {"backups", "freeze"}, new String[] {})) {
      Run r = ha(args);
      assertEquals(2, r.exit(), String.join(" ", args));
      assertEquals("", r.out());
      assertTrue(r.err().contains("is not handled by Haven"), r.err());
    }
  }

  @Test
  void haBackupsNewMakesABackupThroughTheRealCli() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path root = Files.createDirectories(tmp.resolve("root/share"));
    Files.writeString(root.resolve("a.txt"), "hello");
    Path config = tmp.resolve("haven.yaml");
    Files.writeString(config, "data_root: root\nbackup_dir: backup\ncompression_workers: 1\n"
        + "socket: haven.sock\n");
    executable(bin.resolve("haven"), "#!/bin/sh\nexec '" + java + "' -cp '"
        + System.getProperty("java.class.path") + "' io.haven.cli.Main --config '" + config
        + "' \"$@\"\n");

    Run r = ha("backups", "new", "--name", "from ha");
    assertEquals(0, r.exit(), r.out() + r.err());
    try (Stream<Path> files = Files.list(tmp.resolve("backup"))) {
      assertEquals(1, files.filter(f -> f.toString().endsWith(".tar")).count());
    }
    assertTrue(ha("backups").out().contains("from ha"));
  }
}

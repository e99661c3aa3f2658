package io.haven.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.failure.ExitCode;
import io.haven.testing.TreeSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup directory, then the data root, on a read-only bind mount (as a disk the kernel
 * remounted read-only after errors): every job says which folder and what to do (exit 17), with
 * no stack trace, and changes nothing. Before, each of them was "unexpected failure; please
 * report" naming Haven's lock or temporary file.
 */
class ReadOnlyDiskTest {
  @TempDir Path tmp;
  private final List<Path> mounts = new ArrayList<>();
  private Haven haven;
  private String slug;

  @BeforeEach
  void backUp() throws Exception {
    Path root = tmp.resolve("root");
    Files.createDirectories(root.resolve("config"));
    Files.writeString(root.resolve("config/configuration.yaml"), "homeassistant:\n");
    Files.createDirectories(root.resolve("share"));
    Files.writeString(root.resolve("share/notes.txt"), "kept\n");
    haven = new Haven(tmp, root, tmp.resolve("backup"));
    Haven.Run made = haven.run("backups", "new");
    assertEquals(0, made.exit(), made::toString);
    slug = made.out().trim();
  }

  @AfterEach
  void unmount() throws Exception {
    for (Path m : mounts) {
      Process p = new ProcessBuilder("umount", m.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertEquals(0, p.waitFor(), () -> "umount " + m + ": " + out);
    }
  }

  @Test
  void aReadOnlyBackupDirectoryIsSaidForEveryJob() throws Exception {
    readOnly(haven.backupDir);
    List<List<String>> verbs = List.of(List.of("backups", "new"),
        List.of("backups", "verify", "--all"), List.of("backups", "remove", "--yes", slug),
        List.of("backups", "restore", slug), List.of("backups", "import",
            haven.backupDir.resolve(slug + ".tar").toString()));
    for (List<String> verb : verbs) {
      Haven.Run r = haven.run(verb.toArray(String[]::new));
      assertRefused(r, haven.backupDir, verb);
      assertEquals(List.of(), openIn(haven.backupDir), () -> verb + " left files open");
    }
    try (var files = Files.list(haven.backupDir)) {
      assertEquals(List.of(slug + ".tar"), files.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith(".")).toList());
    }
  }

  @Test
  void aReadOnlyDataRootIsSaidBeforeARestoreChangesIt() throws Exception {
    Map<String, String> before = TreeSnapshot.of(haven.root);
    readOnly(haven.root);
    Haven.Run r = haven.run("backups", "restore", slug);
    assertRefused(r, haven.root, List.of("restore"));
    TreeSnapshot.assertSame(before, TreeSnapshot.of(haven.root), "data root");
  }

  private static void assertRefused(Haven.Run r, Path folder, List<String> verb) {
    assertEquals(ExitCode.READ_ONLY, r.exit(), () -> verb + ": " + r);
    assertFalse(r.crashed(), () -> verb + ": " + r);
    assertTrue(r.err().contains("Haven cannot write to " + folder + ": its disk is mounted"
        + " read-only; nothing was changed."), () -> verb + ": " + r);
    assertFalse(r.err().contains(".haven"), () -> verb + " names Haven's own files: " + r);
  }

  private static List<Path> openIn(Path dir) throws Exception {
    List<Path> open = new ArrayList<>();
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          Path target = Files.readSymbolicLink(fd);
          if (target.startsWith(dir)) {
            open.add(target);
          }
        } catch (java.io.IOException gone) {
          // closed while listed
        }
      }
    }
    return open;
  }

  private void readOnly(Path dir) throws Exception {
    mount(dir, "--bind", dir.toString(), dir.toString());
    mount(dir, "-o", "remount,bind,ro", dir.toString());
  }

  private void mount(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("mount"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      if ("1".equals(System.getenv("HAVEN_TEST_DISALLOW_SKIP"))) {
        throw new AssertionError("cannot bind-mount read-only (needs root): " + out);
      }
      Assumptions.assumeTrue(false, "cannot bind-mount read-only (needs root): " + out.trim());
    }
    if (!mounts.contains(dir)) {
      mounts.add(0, dir);
    }
  }
}

package io.haven.restic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haven.archive.BackupArchive;
import io.haven.archive.Compression;
import io.haven.archive.SecureTar;
import io.haven.backup.BackupCreator;
import io.haven.backup.BackupRequest;
import io.haven.store.BackupStore;
import io.haven.testing.GenData;
import io.haven.testing.TreeSnapshot;
import io.haven.tree.DataRoot;
import io.haven.tree.Excludes;
import io.haven.tree.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Haven writes a repository that restic checks, lists, restores and diffs; and the reverse. */
class ResticInteropTest {
  private static final int SCALE_MB = 4;
  private static final Excludes HA = Excludes.of(Excludes.HOME_ASSISTANT);

  @TempDir Path dir;

  static Path backup(Path root, Path backups, String name) throws IOException {
    return backup(root, backups, name, Clock.systemUTC());
  }

  /** As above, at the time {@code clock} gives. */
  static Path backup(Path root, Path backups, String name, Clock clock) throws IOException {
    BackupCreator creator = new BackupCreator(new DataRoot(root), new BackupStore(backups),
        clock, "test", () -> new ObjectMapper().createObjectNode(), 1);
    var result = creator.create(new BackupRequest(name, List.of(), Optional.empty(),
        Compression.ZSTD, SecureTar.Version.V3, false, Optional.empty()), Progress.NONE);
    return result.file();
  }

  /** The data root as a restore gives it back: the parts' directories, less HA's excludes. */
  static Map<String, String> expected(Path root) throws IOException {
    return TreeSnapshot.of(root, rel -> {
      String top = rel.split("/")[0];
      if (!List.of("config", "share", "ssl", "media", "addons").contains(top)) {
        return true;
      }
      // addons/ and addons/data/ are laid out by the copy, not taken from an archive
      // the database is copied through SQLite's backup, so its bytes differ from the live file
      return rel.equals("addons") || rel.equals("addons/data") || rel.endsWith(".db")
          || rel.startsWith("config/") && HA.matches(rel.substring("config/".length()));
    });
  }

  static Map<String, String> restored(Path target) throws IOException {
    return TreeSnapshot.of(target, rel -> rel.startsWith(BackupCopy.BACKUP_DIR)
        || rel.equals("addons") || rel.equals("addons/data") || rel.endsWith(".db"));
  }

  @Test
  void resticReadsWhatHavenWrites() throws Exception {
    Path root = GenData.copyTo(dir.resolve("root"), SCALE_MB);
    Path backups = Files.createDirectories(dir.resolve("backups"));
    Path repoDir = dir.resolve("vault");
    Restic restic = new Restic(repoDir, dir);
    Restic.program();
    List<String> slugs = new ArrayList<>();
    try (Repository repo = Repository.init(new FileStorage(repoDir), Restic.PASSWORD, dir)) {
      for (String name : List.of("first", "second")) {
        if (name.equals("second")) {
          Files.writeString(root.resolve("share/changed.txt"), "changed before the second\n");
        }
        Path file = backup(root, backups, name);
        try (BackupArchive a = BackupArchive.open(file)) {
          slugs.add(a.metadata().orElseThrow().slug());
          BackupCopy.copy(repo, a, Optional.empty());
        }
      }
    }
    restic.run("check", "--read-data");
    JsonNode snaps = new ObjectMapper().readTree(restic.run("snapshots", "--json"));
    assertEquals(2, snaps.size());
    List<String> tags = new ArrayList<>();
    snaps.forEach(s -> tags.add(s.get("tags").get(0).asText()));
    assertEquals(slugs, tags);

    Path target = dir.resolve("restored");
    restic.run("restore", "latest", "--target", target.toString());
    Map<String, String> want = expected(root);
    TreeSnapshot.assertSame(want, restored(target), "restic restore of Haven's snapshot");

    String ls = restic.run("ls", "latest");
    assertTrue(ls.contains("/config/configuration.yaml"), ls);
    String diff = restic.run("diff", snaps.get(0).get("id").asText(),
        snaps.get(1).get("id").asText());
    assertTrue(diff.contains("/share/changed.txt"), diff);
  }

  @Test
  void havenRestoresWhatResticBackedUp() throws Exception {
    Path root = GenData.copyTo(dir.resolve("root"), SCALE_MB);
    Path repoDir = dir.resolve("vault");
    Restic restic = new Restic(repoDir, dir);
    restic.run("init", "--repository-version", "2");
    ProcessBuilder pb = new ProcessBuilder(Restic.program().toString(), "-r", repoDir.toString(),
        "--password-file", dir.resolve("restic-password").toString(), "--no-cache", "-q",
        "backup", ".").directory(root.toFile());
    GenData.run(pb);
    Path target = dir.resolve("restored");
    try (Repository repo = Repository.open(new FileStorage(repoDir), Restic.PASSWORD, dir)) {
      List<StoredSnapshot> snaps = repo.snapshots();
      assertEquals(1, snaps.size());
      Restorer r = new Restorer(repo);
      r.restoreTo(r.subtree(snaps.get(0), ""), target);
    }
    TreeSnapshot.assertSame(TreeSnapshot.of(root), TreeSnapshot.of(target),
        "Haven's restore of restic's snapshot");
  }
}

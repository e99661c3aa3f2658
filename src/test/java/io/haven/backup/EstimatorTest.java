package io.haven.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.archive.Compression;
import io.haven.archive.BackupArchive;
import io.haven.archive.PartInput;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import io.haven.archive.Part;
import io.haven.archive.SecureTar;
import io.haven.store.BackupStore;
import io.haven.testing.GenData;
import io.haven.tree.DataRoot;
import io.haven.tree.Progress;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EstimatorTest {
  @TempDir Path tmp;

  @Test
  void estimateMatchesTheBytesTheBackupReads() throws Exception {
    Path data = GenData.copyTo(tmp.resolve("data"), 4);
    BackupStore store = new BackupStore(tmp.resolve("backup"));
    DataRoot root = new DataRoot(data);
    BackupEstimate e = new Estimator(root, store).estimate(List.of(), true, List.of());

    BackupResult r = new BackupCreator(root, store, Clock.systemUTC(), "test",
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance::objectNode, 1)
        .create(new BackupRequest("x", List.of(), Optional.empty(), Compression.ZSTD,
            SecureTar.Version.V3, true, Optional.empty()), Progress.NONE);

    assertEquals(r.metadata().parts(), e.parts().stream().map(BackupEstimate.PartSize::part)
        .toList());
    try (BackupArchive archive = BackupArchive.open(r.file())) {
      for (BackupEstimate.PartSize p : e.parts()) {
        assertEquals(readFrom(archive, p.part()), List.of(p.files(), p.bytes()), "part " + p);
      }
    }
    assertEquals(0, e.databaseBytes(), "excluded");
    assertTrue(e.hasRoom());
  }

  @Test
  void largeDatabaseAndIncludedKeepDaysGiveASuggestion() throws Exception {
    Path data = tmp.resolve("data");
    write(data.resolve("config/configuration.yaml"), "recorder: !include recorder.yaml\n"
        + "http: !include http.yaml\n");
    write(data.resolve("config/recorder.yaml"), "purge_keep_days: 45\ndb_url: !secret db_url\n");
    write(data.resolve("config/http.yaml"), "ssl_certificate: !secret cert\n");
    write(data.resolve("config/automations.yaml"), "[]\n");
    sparse(data.resolve("config/home-assistant_v2.db"), 120_000_000);
    write(data.resolve("config/home-assistant.log"), "left out by the excludes\n");
    sparse(data.resolve("media/film.mkv"), 30_000_000);
    Path backups = tmp.resolve("backup");
    sparse(backups.resolve("old1.tar"), 7_000_000);
    sparse(backups.resolve("old2.tar"), 3_000_000);

    BackupEstimate e = new Estimator(new DataRoot(data), new BackupStore(backups))
        .estimate(List.of(), false, List.of());

    assertEquals(45, e.keepDays());
    assertTrue(e.keepDaysSet());
    assertEquals(120_000_000, e.databaseBytes());
    assertEquals("config/home-assistant_v2.db", e.largestFiles().get(0).path());
    assertEquals("media/film.mkv", e.largestFiles().get(1).path());
    assertFalse(e.largestFiles().stream().anyMatch(f -> f.path().endsWith(".log")));
    assertEquals(new BackupEstimate.OldBackups(2, 10_000_000), e.oldBackups());
    assertEquals(List.of("The recorder database is 120.0 MB, 80% of the backup: lower recorder"
        + " purge_keep_days (now 45) or leave it out with --homeassistant-exclude-database."),
        e.suggestions());
    assertEquals(Optional.of("!secret cert"),
        HomeAssistantFacts.read(data.resolve("config")).certificate());
  }

  @Test
  void missingConfigurationMeansTheRecorderDefault() throws Exception {
    HomeAssistantFacts ha = HomeAssistantFacts.read(tmp);
    assertEquals(new HomeAssistantFacts(10, false, Optional.empty(), Optional.empty()), ha);
  }

  @Test
  void noRoomIsSaidPlainly() {
    BackupEstimate e = new BackupEstimate(List.of(new BackupEstimate.PartSize(Part.folder("share"),
        1, 5_000_000)), 0, 10, false, List.of(), new BackupEstimate.OldBackups(0, 0), 1_000_000,
        6_000_000, List.of(), BackupEstimate.LeftOut.NOTHING);
    assertFalse(e.hasRoom());
    assertEquals(List.of("The backup dir has 1.0 MB free but the backup needs 6.0 MB: remove old"
        + " backups (haven backups remove SLUG) or free space first."), Estimator.suggestions(e));
  }

  /** Regular files and their bytes in a part, leaving out the Supervisor's json beside data/. */
  static List<Long> readFrom(BackupArchive archive, Part part) throws Exception {
    long files = 0;
    long bytes = 0;
    try (PartInput in = archive.openPart(part, Optional.empty())) {
      for (var entry = in.nextEntry(); entry.isPresent(); entry = in.nextEntry()) {
        TarArchiveEntry t = entry.get();
        boolean json = part.kind() != Part.Kind.FOLDER && !t.getName().startsWith("data/");
        if (t.isFile() && !t.isSymbolicLink() && !t.isLink() && !t.isPaxHeader() && !json) {
          files++;
          bytes += t.getSize();
        }
      }
    }
    return List.of(files, bytes);
  }

  static void write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  /** A large file that takes no disk space: the estimate reads sizes, never contents. */
  static void sparse(Path file, long size) throws Exception {
    Files.createDirectories(file.getParent());
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
    }
  }
}

package io.haven.restic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haven.archive.BackupArchive;
import io.haven.archive.Part;
import io.haven.archive.PartFacts;
import io.haven.testing.GenData;
import io.haven.testing.TreeSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy takes the files the snapshot before has unchanged over without reading them, as
 * restic's parent snapshot does; what changed, or changed too close to that snapshot to tell,
 * is read and chunked again, and restic restores every file with its latest content.
 */
class ResticParentTest {
  private static final int SCALE_MB = 8;

  @TempDir Path dir;
  private Path root;
  private Path backups;
  private Path repoDir;
  private Restic restic;

  @BeforeEach
  void copyOfARootAndARepository() throws Exception {
    root = GenData.copyTo(dir.resolve("root"), SCALE_MB);
    backups = Files.createDirectories(dir.resolve("backups"));
    repoDir = dir.resolve("vault");
    restic = new Restic(repoDir, dir);
    Restic.program();
  }

  @Test
  void unchangedFilesAreTakenOverAndChangedOnesRead() throws Exception {
    Instant hourAgo = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    age(root, hourAgo);
    Path sameSize = root.resolve("share/same-size.bin");
    Files.write(sameSize, new byte[200_000]);
    Files.setLastModifiedTime(sameSize, FileTime.from(hourAgo));
    long aged = agedBytes(root, hourAgo);
    try (Repository repo = Repository.init(new FileStorage(repoDir), Restic.PASSWORD, dir)) {
      Files.write(root.resolve("share/fresh.bin"), new byte[100_000]); // just before the backup
      SnapshotWriter.Stats first = copy(repo, ResticInteropTest.backup(root, backups, "first"));
      assertEquals(0, first.unchangedBytes(), "the first copy has no parent");

      // A new file, so that share's tar differs and its files are compared one by one.
      Files.writeString(root.resolve("share/second.txt"), "new in the second backup");
      SnapshotWriter.Stats second = copy(repo, ResticInteropTest.backup(root, backups, "second"));
      System.out.printf("RESTIC parent: first read %d; second read %d, taken over %d; aged %d%n",
          first.readBytes(), second.readBytes(), second.unchangedBytes(), aged);
      assertTrue(second.unchangedBytes() >= aged, "taken over " + second.unchangedBytes()
          + " bytes, but " + aged + " bytes of files are an hour old");
      assertTrue(second.unchangedBytes() <= first.readBytes() - 100_000,
          "the file written just before the first backup was taken over unread");
      assertTrue(second.readBytes() >= 100_000, "read " + second.readBytes());

      // Same size, a new content and a new time; the parent's blobs must not be taken.
      byte[] changed = new byte[200_000];
      java.util.Arrays.fill(changed, (byte) 7);
      Files.write(sameSize, changed);
      Files.setLastModifiedTime(sameSize, FileTime.from(hourAgo.plusSeconds(5)));
      SnapshotWriter.Stats third = copy(repo, ResticInteropTest.backup(root, backups, "third"));
      assertTrue(third.readBytes() >= 200_000, "the changed file was not read");
      assertTrue(third.unchangedBytes() >= aged - 200_000, "taken over "
          + third.unchangedBytes());
    }
    restic.run("check", "--read-data");
    JsonNode snaps = new ObjectMapper().readTree(restic.run("snapshots", "--json"));
    assertEquals(3, snaps.size());
    assertEquals(snaps.get(0).get("id").asText(), snaps.get(1).get("parent").asText());
    assertEquals(snaps.get(1).get("id").asText(), snaps.get(2).get("parent").asText());

    Path target = dir.resolve("restored");
    restic.run("restore", "latest", "--target", target.toString());
    Map<String, String> want = ResticInteropTest.expected(root);
    TreeSnapshot.assertSame(want, ResticInteropTest.restored(target),
        "restic restore of the third snapshot");
  }

  @Test
  void partsWhoseTarIsUnchangedAreTakenOverWhole() throws Exception {
    try (Repository repo = Repository.init(new FileStorage(repoDir), Restic.PASSWORD, dir)) {
      Path firstBackup = ResticInteropTest.backup(root, backups, "first");
      Path secondBackup = ResticInteropTest.backup(root, backups, "second",
          Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));
      // Every part, Home Assistant's and the add-ons' with their own description files too:
      // before, those carried the clock's time and so were read again on every copy.
      assertEquals(partFacts(firstBackup), partFacts(secondBackup));
      SnapshotWriter.Stats first = copy(repo, firstBackup);
      SnapshotWriter.Stats second = copy(repo, secondBackup);
      System.out.printf("RESTIC unchanged parts: first read %d; second read %d, taken over %d%n",
          first.readBytes(), second.readBytes(), second.unchangedBytes());
      // Only backup.json and the parts' own small files are read again.
      assertTrue(second.readBytes() < 20_000, "read " + second.readBytes());
      assertTrue(second.unchangedBytes() >= first.readBytes() - 20_000,
          "taken over " + second.unchangedBytes() + " of " + first.readBytes());
      assertTrue(second.newBytes() < 20_000, "stored " + second.newBytes() + " bytes");
    }
    restic.run("check", "--read-data");
    JsonNode snaps = new ObjectMapper().readTree(restic.run("snapshots", "--json"));
    assertEquals(2, snaps.size());
    assertEquals(snaps.get(0).get("id").asText(), snaps.get(1).get("parent").asText());
    Path target = dir.resolve("restored");
    restic.run("restore", "latest", "--target", target.toString());
    TreeSnapshot.assertSame(ResticInteropTest.expected(root), ResticInteropTest.restored(target),
        "restic restore of the second snapshot");
  }

  // Each part's tar size and SHA-256, by part.
  private static Map<String, String> partFacts(Path backup) throws Exception {
    Map<String, String> facts = new TreeMap<>();
    try (BackupArchive a = BackupArchive.open(backup)) {
      for (Part p : a.parts()) {
        PartFacts f = a.metadata().orElseThrow().haven().orElseThrow().part(p).orElseThrow();
        facts.put(p.toString(), f.tarSize() + " " + f.sha256());
      }
    }
    return facts;
  }

  private static SnapshotWriter.Stats copy(Repository repo, Path backup) throws Exception {
    try (BackupArchive a = BackupArchive.open(backup)) {
      return BackupCopy.copy(repo, a, Optional.empty()).stats();
    }
  }

  private static void age(Path root, Instant time) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        Files.setLastModifiedTime(p, FileTime.from(time));
      }
    }
  }

  // The files a copy can take over: as old as `time`, in a part, not a database (copied anew).
  private static long agedBytes(Path root, Instant time) throws IOException {
    long total = 0;
    for (String rel : ResticInteropTest.expected(root).keySet()) {
      Path p = root.resolve(rel);
      if (Files.isRegularFile(p) && Files.getLastModifiedTime(p).toInstant().equals(time)) {
        total += Files.size(p);
      }
    }
    return total;
  }
}

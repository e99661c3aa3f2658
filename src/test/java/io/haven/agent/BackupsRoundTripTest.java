package io.haven.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.archive.ArchiveException;
import io.haven.archive.BackupMetadata;
import io.haven.archive.Compression;
import io.haven.archive.Part;
import io.haven.archive.SecureTar;
import io.haven.archive.Secret;
import io.haven.backup.BackupRequest;
import io.haven.backup.BackupResult;
import io.haven.config.Config;
import io.haven.restore.RestoreRequest;
import io.haven.testing.GenData;
import io.haven.testing.TreeSnapshot;
import io.haven.tree.Progress;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BackupsRoundTripTest {
  static final int SCALE_MB = 4;

  /** What a backup leaves out on purpose (Home Assistant's excludes) and Haven's own dirs. */
  static final Predicate<String> NOT_BACKED_UP = rel ->
      rel.equals("config/home-assistant.log")
          || rel.equals("config/home-assistant_v2.db-shm")
          || rel.startsWith("config/tts/")
          || rel.startsWith("config/__pycache__/")
          || rel.equals("config/home-assistant_v2.db") // compared by content, not bytes
          || rel.startsWith(".haven-")
          // containers of parts, not parts: their times change as parts are swapped in
          || rel.equals("addons") || rel.equals("addons/data");

  @TempDir Path tmp;

  Backups backups(Path root) throws Exception {
    return new Backups(new Config(root, tmp.resolve("backup"), Compression.ZSTD, 2),
        Clock.systemUTC(), "test");
  }

  static Stream<Arguments> forms() {
    return Stream.of(Compression.values()).flatMap(c -> Stream.of(
        Arguments.of(c, null), Arguments.of(c, SecureTar.Version.V2),
        Arguments.of(c, SecureTar.Version.V3)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("forms")
  void fullBackupRestoresTheTreeExactly(Compression c, SecureTar.Version v) throws Exception {
    Path source = GenData.copyTo(tmp.resolve("source"), SCALE_MB);
    Optional<Secret.Password> password = v == null ? Optional.empty()
        : Optional.of(new Secret.Password("correct horse"));
    BackupResult r = backups(source).create(new BackupRequest("round trip", List.of(), password,
        c, v == null ? SecureTar.Version.V3 : v, false, Optional.empty()), Progress.NONE);
    assertEquals(BackupMetadata.Type.FULL, r.metadata().type());
    assertEquals(List.of(Part.homeAssistant(), Part.addon("45df7312_zigbee2mqtt"),
        Part.addon("core_mosquitto"), Part.folder("share"), Part.folder("addons/local"),
        Part.folder("ssl"), Part.folder("media")), r.metadata().parts());

    Path target = tmp.resolve("target");
    Backups restoreSide = backups(target);
    assertTrue(restoreSide.verify(r.metadata().slug(), password.map(p -> p)).intact());
    restoreSide.restore(r.metadata().slug(), new RestoreRequest(List.of(),
        password.map(p -> p)), Progress.NONE);

    TreeSnapshot.assertSame(TreeSnapshot.of(source, NOT_BACKED_UP), TreeSnapshot.of(target, NOT_BACKED_UP), "restored tree");
    assertEquals(rowCount(source), rowCount(target));
  }

  @Test
  void eachPartAloneRoundTrips() throws Exception {
    Path source = GenData.copyTo(tmp.resolve("source"), SCALE_MB);
    Map<String, String> before = TreeSnapshot.of(source, NOT_BACKED_UP);
    for (Part part : new io.haven.tree.DataRoot(source).present()) {
      BackupResult r = backups(source).create(new BackupRequest("only " + part, List.of(part),
          Optional.empty(), Compression.ZSTD, SecureTar.Version.V3, false, Optional.empty()),
          Progress.NONE);
      assertEquals(BackupMetadata.Type.PARTIAL, r.metadata().type());
      assertEquals(List.of(part), r.metadata().parts());
      Path target = tmp.resolve("target-" + part.memberBase());
      backups(target).restore(r.metadata().slug(),
          new RestoreRequest(List.of(), Optional.empty()), Progress.NONE);
      String prefix = source.relativize(new io.haven.tree.DataRoot(source).dirOf(part)) + "/";
      Map<String, String> restored = TreeSnapshot.of(target, NOT_BACKED_UP);
      restored.keySet().removeIf(k -> !k.startsWith(prefix));
      Map<String, String> expected = new java.util.TreeMap<>(before);
      expected.keySet().removeIf(k -> !k.startsWith(prefix));
      TreeSnapshot.assertSame(expected, restored, "part " + part);
    }
  }

  @Test
  void restoreReplacesChangedRootAndRemovesAddedFiles() throws Exception {
    Path root = GenData.copyTo(tmp.resolve("root"), SCALE_MB);
    Map<String, String> before = TreeSnapshot.of(root, NOT_BACKED_UP);
    BackupResult r = backups(root).create(plain(), Progress.NONE);
    Files.writeString(root.resolve("share/added.txt"), "not in the backup");
    Files.writeString(root.resolve("ssl/fullchain.pem"), "changed");
    Files.delete(root.resolve("addons/local/my_addon/run.sh"));
    Files.createDirectories(root.resolve("addons/data/new_addon"));
    backups(root).restore(r.metadata().slug(), new RestoreRequest(List.of(), Optional.empty()),
        Progress.NONE);
    TreeSnapshot.assertSame(before, TreeSnapshot.of(root, NOT_BACKED_UP), "restored root");
    assertFalse(Files.exists(root.resolve("addons/data/new_addon")),
        "a full restore of a full backup removes add-ons the backup does not have");
  }

  @Test
  void restoreThatFailsHalfWayLeavesRootAsBefore() throws Exception {
    Path root = GenData.copyTo(tmp.resolve("root"), SCALE_MB);
    BackupResult r = backups(root).create(plain(), Progress.NONE);
    flipByteInLastPart(r.file());
    Files.writeString(root.resolve("share/added.txt"), "made after the backup");
    Map<String, String> before = TreeSnapshot.of(root);
    ArchiveException e = assertThrows(ArchiveException.class, () -> backups(root).restore(
        r.metadata().slug(), new RestoreRequest(List.of(), Optional.empty()), Progress.NONE));
    assertTrue(e.getMessage().contains("part 'media'"), e.getMessage());
    TreeSnapshot.assertSame(before, TreeSnapshot.of(root), "nothing changed");
    try (Stream<Path> s = Files.list(root)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".haven-")));
    }
  }

  @Test
  void wrongPasswordIsRefusedBeforeAnythingChanges() throws Exception {
    Path root = GenData.copyTo(tmp.resolve("root"), SCALE_MB);
    BackupResult r = backups(root).create(new BackupRequest("locked", List.of(Part.folder("ssl"),
        Part.folder("share")), Optional.of(new Secret.Password("right")), Compression.ZSTD,
        SecureTar.Version.V3, false, Optional.empty()), Progress.NONE);
    Files.writeString(root.resolve("ssl/fullchain.pem"), "changed");
    Map<String, String> before = TreeSnapshot.of(root);
    ArchiveException e = assertThrows(ArchiveException.WrongPassword.class, () ->
        backups(root).restore(r.metadata().slug(), new RestoreRequest(List.of(),
            Optional.of(new Secret.Password("wrong"))), Progress.NONE));
    assertTrue(e.getMessage().startsWith("Wrong password for backup '" + r.metadata().slug()),
        e.getMessage());
    TreeSnapshot.assertSame(before, TreeSnapshot.of(root), "nothing changed");
  }

  static BackupRequest plain() {
    return new BackupRequest("plain", List.of(), Optional.empty(), Compression.ZSTD,
        SecureTar.Version.V3, false, Optional.empty());
  }

  // media is written last of the parts: damage in its middle is found only after the other
  // parts were staged.
  static void flipByteInLastPart(Path archive) throws Exception {
    long offset = -1;
    try (var tar = new org.apache.commons.compress.archivers.tar.TarFile(archive.toFile())) {
      for (var e : tar.getEntries()) {
        if (e.getName().startsWith("media.")) {
          offset = e.getDataOffset() + e.getSize() / 2;
        }
      }
    }
    try (RandomAccessFile f = new RandomAccessFile(archive.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x40);
    }
  }

  static String rowCount(Path root) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("sqlite3",
        root.resolve("config/home-assistant_v2.db").toString(),
        "PRAGMA integrity_check; SELECT count(*) FROM states;");
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    p.waitFor();
    return out;
  }
}

package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.haven.agent.Backups;
import io.haven.agent.OffsiteBackups;
import io.haven.archive.Compression;
import io.haven.archive.Part;
import io.haven.archive.SecureTar;
import io.haven.backup.BackupCreator;
import io.haven.backup.BackupRequest;
import io.haven.config.Config;
import io.haven.failure.ExitCode;
import io.haven.store.AutomaticBackups;
import io.haven.store.BackupStore;
import io.haven.store.Retention;
import io.haven.store.StoredBackup;
import io.haven.store.VerifyRecords;
import io.haven.testing.Damage;
import io.haven.tree.DataRoot;
import io.haven.tree.Progress;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code haven verify} of a stored backup records its outcome where retention reads it, as the
 * API's verify does; a file outside the backup directory is only read. Two automatic backups
 * (the schedule's mark), a retention of one copy, and a flipped byte in the newer one.
 */
class VerifyRecordingTest {
  @TempDir Path tmp;
  Path root;
  Path backupDir;
  Path yaml;
  Config config;

  @BeforeEach
  void setUp() throws Exception {
    root = tmp.resolve("root");
    backupDir = tmp.resolve("backup");
    Path share = Files.createDirectories(root.resolve("share"));
    // Incompressible bytes, so a flipped byte lands in a part's data, not in tar headers.
    byte[] noise = new byte[256 * 1024];
    new SplittableRandom(11).nextBytes(noise);
    try (OutputStream out = Files.newOutputStream(share.resolve("noise.bin"))) {
      out.write(noise);
    }
    yaml = tmp.resolve("haven.yaml");
    Files.writeString(yaml, "data_root: " + root + "\nbackup_dir: " + backupDir
        + "\nlocations_file: " + tmp.resolve("locations.yaml")
        + "\ncompression_workers: 1\nretention:\n  copies: 1\n");
    config = Config.load(Optional.of(yaml), Map.of(), tmp);
  }

  @Test
  void cliVerifyOfACorruptedBackupRecordsItBadAndRetentionKeepsTheOlderGoodOne()
      throws Exception {
    StoredBackup older = automatic("2025-01-14T04:45:00Z");
    StoredBackup newer = automatic("2025-01-15T04:45:00Z");
    Cli.Run good = run("verify", older.file().toString());
    assertEquals(ExitCode.OK, good.code(), good.err());
    Damage.flipMiddleByte(newer.file());

    Cli.Run all = run("backups", "verify", "--all");
    assertEquals(ExitCode.CORRUPT, all.code(), all.out() + all.err());
    assertTrue(all.out().contains("2 backups checked: 1 intact, 1 NOT intact."), all.out());
    BackupStore store = new BackupStore(backupDir);
    VerifyRecords records = new VerifyRecords(backupDir);
    assertEquals(Retention.Verified.GOOD, records.of(store.get(older.slug())),
        "verified by its path in the backup directory");
    assertEquals(Retention.Verified.BAD, records.of(store.get(newer.slug())));

    Cli.Run dryRun = run("backups", "prune", "--dry-run").ok();
    assertEquals("Nothing to delete.\n", dryRun.out(),
        "copies=1 keeps the newest, and the older one as the newest that verified good");
    run("backups", "prune").ok();
    assertEquals(List.of(newer.slug(), older.slug()), store.list().backups().stream()
        .map(StoredBackup::slug).toList());
  }

  @Test
  void cliVerifyBySlugRecordsWhatTheApisVerifyRecords() throws Exception {
    StoredBackup b = automatic("2025-01-15T04:45:00Z");
    run("backups", "verify", b.slug()).ok();
    assertEquals(Retention.Verified.GOOD,
        new VerifyRecords(backupDir).of(new BackupStore(backupDir).get(b.slug())));
  }

  @Test
  void verifyOfAFileOutsideTheBackupDirectoryRecordsNothing() throws Exception {
    StoredBackup b = automatic("2025-01-15T04:45:00Z");
    Path elsewhere = Files.createDirectories(tmp.resolve("downloads")).resolve("copy.tar");
    Files.copy(b.file(), elsewhere);
    Damage.flipMiddleByte(elsewhere);

    Cli.Run r = run("verify", elsewhere.toString());
    assertEquals(ExitCode.CORRUPT, r.code(), r.out() + r.err());
    assertTrue(r.out().contains(": DAMAGED"), r.out());
    assertFalse(Files.exists(backupDir.resolve(".haven-verified.json")),
        "a file outside the backup directory leaves no record");
    assertEquals(Retention.Verified.UNKNOWN,
        new VerifyRecords(backupDir).of(new BackupStore(backupDir).get(b.slug())));
  }

  private Cli.Run run(String... args) {
    return Cli.run(yaml, args);
  }

  /** A backup of share made at {@code date}, marked automatic as the schedule marks its own. */
  private StoredBackup automatic(String date) throws Exception {
    Clock at = Clock.fixed(Instant.parse(date), ZoneOffset.UTC);
    Backups backups = new Backups(config, at, "test");
    String instance = new OffsiteBackups(config, backups, at).instanceId();
    BackupCreator creator = new BackupCreator(new DataRoot(root), backups.store(), at, "test",
        () -> AutomaticBackups.mark(JsonNodeFactory.instance.objectNode(), instance), 1);
    String slug = creator.create(new BackupRequest("Automatic backup", List.of(
        Part.folder("share")), Optional.empty(), Compression.ZSTD, SecureTar.Version.V3, false,
        Optional.empty()), Progress.NONE).metadata().slug();
    return backups.store().get(slug);
  }

}

package io.haven.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.archive.Compression;
import io.haven.archive.Part;
import io.haven.archive.SecureTar;
import io.haven.config.Config;
import io.haven.agent.Backups;
import io.haven.restore.RestoreRequest;
import io.haven.tree.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder database is captured consistently while another process keeps writing to it. */
class DatabaseSnapshotTest {
  @TempDir Path tmp;

  // A separate process commits a row at a time as fast as it can, as Home Assistant's recorder
  // does in bursts; it prints its row count when told to stop.
  private static final String WRITER = String.join("\n",
      "import sqlite3, sys, os",
      "con = sqlite3.connect(sys.argv[1], isolation_level=None)",
      "con.execute('pragma journal_mode=' + sys.argv[3])",
      "con.execute('create table if not exists states (id integer primary key, v text)')",
      "print('ready', flush=True)",
      "while not os.path.exists(sys.argv[2]):",
      "    con.execute('insert into states (v) values (?)', ('x' * 200,))",
      "print(con.execute('select max(id) from states').fetchone()[0], flush=True)");

  @Test
  void walDatabaseReadInPlaceWhileWritingRestoresAsAConsistentPrefixEveryTime() throws Exception {
    readInPlaceWhileWriting("wal");
  }

  // The read transaction's shared lock holds the writer back while the file is read.
  @Test
  void rollbackJournalDatabaseReadInPlaceWhileWritingRestoresAsAConsistentPrefix()
      throws Exception {
    readInPlaceWhileWriting("delete");
  }

  private void readInPlaceWhileWriting(String journalMode) throws Exception {
    Path root = tmp.resolve("root");
    Path config = Files.createDirectories(root.resolve("config"));
    Path db = config.resolve("home-assistant_v2.db");
    seed(db, 50_000, journalMode);
    Path stop = tmp.resolve("stop");
    Path script = Files.writeString(tmp.resolve("writer.py"), WRITER);
    Process writer = new ProcessBuilder("python3", script.toString(), db.toString(),
        stop.toString(), journalMode).redirectErrorStream(true).start();
    var lines = new java.io.BufferedReader(new java.io.InputStreamReader(writer.getInputStream()));
    assertEquals("ready", lines.readLine());
    Thread.sleep(300); // let it commit for a while first

    Backups backups = new Backups(new Config(root, tmp.resolve("backup"), Compression.ZSTD, 2),
        Clock.systemUTC(), "test");
    // Several backups while the writer commits and checkpoints: each reads the database file
    // while checkpoints write into it, then the WAL while it grows.
    List<String> slugs = new java.util.ArrayList<>();
    for (int round = 0; round < 3; round++) {
      slugs.add(backup(backups));
      Thread.sleep(200);
    }
    Files.createFile(stop);
    long finalMax = Long.parseLong(lines.readLine().trim());
    assertTrue(writer.waitFor(30, TimeUnit.SECONDS));

    long previous = 50_000;
    for (String slug : slugs) {
      long max = restoredRows(slug, tmp.resolve("restored-" + slug));
      assertTrue(max > previous, "holds writes made before this backup: " + max);
      assertTrue(max < finalMax, "taken before the writer stopped: " + max + " < " + finalMax);
      previous = max;
    }
    assertTrue(Files.list(tmp.resolve("backup")).noneMatch(p -> p.toString().endsWith(".db")),
        "no copy of the database was written beside the backups");
  }

  @Test
  void stoppedWalDatabaseWithoutItsWalIsReadInPlace() throws Exception {
    Path root = tmp.resolve("root");
    Path db = Files.createDirectories(root.resolve("config")).resolve("home-assistant_v2.db");
    seed(db, 20_000, "wal"); // closed: no -wal left, as Home Assistant stopped leaves it
    Backups backups = new Backups(new Config(root, tmp.resolve("backup"), Compression.ZSTD, 2),
        Clock.systemUTC(), "test");
    assertEquals(20_000, restoredRows(backup(backups), tmp.resolve("restored")));
    assertEquals(100 + 1024 * 1024, BackupCreator.spaceNeeded(100), "no room for a copy");
  }

  private static String backup(Backups backups) throws Exception {
    return backups.create(new BackupRequest("db", List.of(Part.homeAssistant()),
        Optional.empty(), Compression.ZSTD, SecureTar.Version.V3, false, Optional.empty()),
        Progress.NONE).metadata().slug();
  }

  /** Restores {@code slug} into {@code target}; checks the database and returns its rows. */
  private long restoredRows(String slug, Path target) throws Exception {
    new Backups(new Config(target, tmp.resolve("backup"), Compression.ZSTD, 2), Clock.systemUTC(),
        "test").restore(slug, new RestoreRequest(List.of(), Optional.empty()), Progress.NONE);
    Path restored = target.resolve("config/home-assistant_v2.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + restored);
        Statement s = c.createStatement()) {
      assertEquals("ok", one(s, "PRAGMA integrity_check"));
      long max = Long.parseLong(one(s, "SELECT max(id) FROM states"));
      long count = Long.parseLong(one(s, "SELECT count(*) FROM states"));
      assertEquals(max, count, "a prefix of the writes: ids 1..max, none missing");
      return max;
    }
  }

  private static void seed(Path db, int rows, String journalMode) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("pragma journal_mode=" + journalMode);
      s.execute("create table states (id integer primary key, v text)");
      c.setAutoCommit(false);
      for (int i = 0; i < rows; i++) {
        s.execute("insert into states (v) values ('" + "y".repeat(200) + "')");
      }
      c.commit();
    }
  }

  private static String one(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}

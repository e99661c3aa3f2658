package io.haven.backup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A consistent image of Home Assistant's recorder database taken while Home Assistant keeps
 * writing. It starts with a read transaction, which pins one snapshot: every write committed up to
 * that point and nothing after. The writer is never blocked.
 *
 * <p>In WAL mode (the recorder's) no copy is made: while the transaction is held, SQLite neither
 * restarts the WAL nor lets a checkpoint copy into the database file anything newer than the
 * snapshot, so the database file read now, then the WAL file read after it, together open as that
 * snapshot or a later commit (opening replays the WAL over any page a checkpoint changed during
 * the read; a frame cut off at the WAL's end is ignored). That spares writing and reading back a
 * copy of the largest file on an SD card. In other journal modes, where a read could see a write in
 * progress, the database is copied through SQLite's online backup API instead, on a thread of its
 * own so the copy overlaps writing the configuration's other files.
 */
final class DatabaseSnapshot implements AutoCloseable {
  private final Path db;
  private final Optional<Path> copy;
  private final Connection held;
  private final CompletableFuture<Path> done = new CompletableFuture<>();

  private DatabaseSnapshot(Path db, Optional<Path> copy, Connection held) {
    this.db = db;
    this.copy = copy;
    this.held = held;
  }

  /**
   * Pins a snapshot of {@code db}; where it is not in WAL mode, starts copying it to
   * {@code target} (replaced if it exists) in the background.
   */
  static DatabaseSnapshot start(Path db, Path target) throws IOException {
    Connection c = open(db);
    try {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        // Any read pins the snapshot for the rest of the transaction.
        s.executeQuery("SELECT count(*) FROM sqlite_master").close();
        if (journalMode(s).equals("wal")) {
          DatabaseSnapshot inPlace = new DatabaseSnapshot(db, Optional.empty(), c);
          inPlace.done.complete(db);
          return inPlace;
        }
      }
    } catch (SQLException e) {
      closeQuietly(c);
      throw failure(db, e);
    }
    Files.deleteIfExists(target);
    DatabaseSnapshot s = new DatabaseSnapshot(db, Optional.of(target), c);
    Thread t = new Thread(() -> {
      try {
        copy(c, db, target);
        s.done.complete(target);
      } catch (IOException | RuntimeException e) {
        s.done.completeExceptionally(e);
      }
    }, "haven-db-snapshot");
    t.setDaemon(true);
    t.start();
    return s;
  }

  /**
   * Whether {@link #start} will read {@code db} where it lies: a WAL database (header bytes 18
   * and 19 are 2) with its WAL present. A read-only connection reads a WAL database that has no
   * WAL file as in rollback mode, so that one is copied.
   */
  static boolean readsInPlace(Path db) throws IOException {
    byte[] header;
    try (var in = Files.newInputStream(db)) {
      header = in.readNBytes(20);
    }
    return header.length == 20 && header[18] == 2 && header[19] == 2
        && Files.isRegularFile(db.resolveSibling(db.getFileName() + "-wal"));
  }

  /** Whether the database and its WAL are read where they lie (WAL mode), not from a copy. */
  boolean inPlace() {
    return copy.isEmpty();
  }

  /** The file to archive under the database's name: the database itself, or its copy. */
  Path await() throws IOException {
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the database snapshot");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException("database snapshot failed", e.getCause());
    }
  }

  /** The WAL to archive beside the database when {@link #inPlace()}. */
  Path wal() {
    return db.resolveSibling(db.getFileName() + "-wal");
  }

  /** Waits for a copy to end, however it ends, then deletes it; ends the read transaction. */
  @Override
  public void close() throws IOException {
    try {
      done.handle((p, e) -> p).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("unreachable: the failure was handled", e);
    } finally {
      closeQuietly(held);
    }
    if (copy.isPresent()) {
      Files.deleteIfExists(copy.get());
    }
  }

  /** Copies {@code db} to {@code target} (which must not exist) inside c's read transaction. */
  private static void copy(Connection c, Path db, Path target) throws IOException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("backup to " + quoted(target));
    } catch (SQLException e) {
      Files.deleteIfExists(target);
      throw failure(db, e);
    }
  }

  private static Connection open(Path db) throws IOException {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
    p.setProperty("busy_timeout", "30000");
    try {
      return DriverManager.getConnection("jdbc:sqlite:" + db, p);
    } catch (SQLException e) {
      throw failure(db, e);
    }
  }

  private static String journalMode(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
      return rs.next() ? rs.getString(1).toLowerCase(java.util.Locale.ROOT) : "";
    }
  }

  private static IOException failure(Path db, SQLException e) {
    return new IOException("Could not read the recorder database " + db + " (" + e.getMessage()
        + "). Check that it is a SQLite database and readable; or back up with"
        + " --homeassistant-exclude-database.", e);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // Closing a read-only connection releases its locks whatever it reports.
    }
  }

  // sqlite-jdbc's "backup to" takes the rest of the statement as the file name.
  private static String quoted(Path p) {
    return p.toAbsolutePath().toString();
  }
}

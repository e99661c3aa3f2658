package io.haven.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A consistent image of Home Assistant's recorder database, read where it lies while Home
 * Assistant may keep writing. It starts with a read transaction, which pins one snapshot: every
 * write committed up to that point and nothing after. No copy is made, so the largest file on an
 * SD card is not written and read back first.
 *
 * <p>In WAL mode (the recorder's) the writer is never blocked: while the transaction is held,
 * SQLite neither restarts the WAL nor lets a checkpoint copy into the database file anything newer
 * than the snapshot, so the database file read now, then the WAL file read after it, together open
 * as that snapshot or a later commit (opening replays the WAL over any page a checkpoint changed
 * during the read; a frame cut off at the WAL's end is ignored). In a rollback journal mode the
 * transaction's shared lock keeps every writer from changing the database file until the file has
 * been read: a writer waits (within its busy timeout) instead. The lock ends when the archiver
 * closes the file (POSIX locks belong to the process), after its last byte was read.
 */
final class DatabaseSnapshot implements AutoCloseable {
  private final Path db;
  private final Connection held;

  private DatabaseSnapshot(Path db, Connection held) {
    this.db = db;
    this.held = held;
  }

  /** Pins a snapshot of {@code db} with a read transaction held until {@link #close}. */
  static DatabaseSnapshot start(Path db) throws IOException {
    Connection c = open(db);
    try {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        // Any read pins the snapshot (and in rollback mode takes the shared lock) for the rest of
        // the transaction.
        s.executeQuery("SELECT count(*) FROM sqlite_master").close();
      }
      return new DatabaseSnapshot(db, c);
    } catch (SQLException e) {
      closeQuietly(c);
      throw failure(db, e);
    }
  }

  /** The WAL archived beside the database, when there is one. */
  Path wal() {
    return db.resolveSibling(db.getFileName() + "-wal");
  }

  /** Ends the read transaction. */
  @Override
  public void close() {
    closeQuietly(held);
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
}

package io.haven.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A consistent copy of Home Assistant's recorder database taken while Home Assistant keeps
 * writing, through SQLite's online backup API. The copy is taken inside a read transaction, which
 * pins one snapshot of the WAL: the backup does not restart when the writer commits, and the
 * writer is never blocked. The copy holds every committed write up to that point and nothing after.
 */
final class DatabaseSnapshot {
  private DatabaseSnapshot() {}

  /** Copies {@code db} to {@code target} (which must not exist). */
  static void copy(Path db, Path target) throws IOException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db, readOnly())) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        // Any read pins the snapshot for the rest of the transaction.
        s.executeQuery("SELECT count(*) FROM sqlite_master").close();
        s.executeUpdate("backup to " + quoted(target));
      }
      c.commit();
    } catch (SQLException e) {
      Files.deleteIfExists(target);
      throw new IOException("Could not copy the recorder database " + db + " ("
          + e.getMessage() + "). Check that it is a SQLite database and readable; or back up"
          + " with --homeassistant-exclude-database.", e);
    }
  }

  private static java.util.Properties readOnly() {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
    p.setProperty("busy_timeout", "30000");
    return p;
  }

  // sqlite-jdbc's "backup to" takes the rest of the statement as the file name.
  private static String quoted(Path p) {
    return p.toAbsolutePath().toString();
  }
}

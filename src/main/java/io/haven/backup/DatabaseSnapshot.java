package io.haven.backup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A consistent copy of Home Assistant's recorder database taken while Home Assistant keeps
 * writing, through SQLite's online backup API. The copy is taken inside a read transaction, which
 * pins one snapshot of the WAL: the backup does not restart when the writer commits, and the
 * writer is never blocked. The copy holds every committed write up to that point and nothing after.
 *
 * <p>{@link #start} takes it on a thread of its own when the backup begins, so the copy (SQLite
 * copies page by page, a second or more for a large database) overlaps writing the configuration's
 * other files, which mostly sort before the database's name.
 */
final class DatabaseSnapshot implements AutoCloseable {
  private final Path target;
  private final CompletableFuture<Path> done = new CompletableFuture<>();

  private DatabaseSnapshot(Path target) {
    this.target = target;
  }

  /** Starts copying {@code db} to {@code target} (replaced if it exists) in the background. */
  static DatabaseSnapshot start(Path db, Path target) throws IOException {
    Files.deleteIfExists(target);
    DatabaseSnapshot s = new DatabaseSnapshot(target);
    Thread t = new Thread(() -> {
      try {
        copy(db, target);
        s.done.complete(target);
      } catch (IOException | RuntimeException e) {
        s.done.completeExceptionally(e);
      }
    }, "haven-db-snapshot");
    t.setDaemon(true);
    t.start();
    return s;
  }

  /** Waits for the copy; fails as the copy failed. */
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

  /** Waits for the copy to end, however it ends, then deletes it. */
  @Override
  public void close() throws IOException {
    try {
      done.handle((p, e) -> p).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("unreachable: the failure was handled", e);
    }
    Files.deleteIfExists(target);
  }

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

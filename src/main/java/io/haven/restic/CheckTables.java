package io.haven.restic;

import io.haven.location.IoConsumer;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a check has to remember, in a SQLite file in the spool directory rather than on the
 * heap: the packs stored and the packs indexed (with their sizes) and the trees already
 * checked. SQLite keeps at most {@link #CACHE_KIB} KiB of its pages in memory; a repository of
 * a million blobs (60,000 packs, some 100,000 trees) is about 10 MB of file.
 */
final class CheckTables implements Closeable {
  private static final int CACHE_KIB = 2048;

  private final Path file;
  private final Connection db;
  private final PreparedStatement addStored;
  private final PreparedStatement addIndexed;
  private final PreparedStatement addTree;

  CheckTables(Path spool) throws IOException {
    file = Files.createTempFile(spool, ".check-", ".db");
    try {
      db = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = db.createStatement()) {
        // A scratch file: nothing to recover after a crash, so no journal and no syncs.
        s.execute("PRAGMA journal_mode=OFF");
        s.execute("PRAGMA synchronous=OFF");
        s.execute("PRAGMA cache_size=-" + CACHE_KIB);
        s.execute("CREATE TABLE stored (id BLOB PRIMARY KEY, size INTEGER) WITHOUT ROWID");
        s.execute("CREATE TABLE indexed (id BLOB PRIMARY KEY) WITHOUT ROWID");
        s.execute("CREATE TABLE trees (id BLOB PRIMARY KEY) WITHOUT ROWID");
      }
      db.setAutoCommit(false);
      addStored = db.prepareStatement("INSERT OR REPLACE INTO stored VALUES (?, ?)");
      addIndexed = db.prepareStatement("INSERT OR IGNORE INTO indexed VALUES (?)");
      addTree = db.prepareStatement("INSERT OR IGNORE INTO trees VALUES (?)");
    } catch (SQLException e) {
      Files.deleteIfExists(file);
      throw failure(e);
    }
  }

  void stored(Id pack, long size) throws IOException {
    try {
      addStored.setBytes(1, pack.bytes());
      addStored.setLong(2, size);
      addStored.executeUpdate();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  void indexed(Id pack) throws IOException {
    try {
      addIndexed.setBytes(1, pack.bytes());
      addIndexed.executeUpdate();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /** Records the tree; false when it was recorded before (its check is done). */
  boolean firstVisit(Id tree) throws IOException {
    try {
      addTree.setBytes(1, tree.bytes());
      return addTree.executeUpdate() == 1;
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /** Packs an index names that are not stored. */
  void missing(IoConsumer<Id> each) throws IOException {
    query("SELECT id, 0 FROM indexed WHERE id NOT IN (SELECT id FROM stored)",
        (id, size) -> each.accept(id));
  }

  /** Packs stored that no index names. */
  void unreferenced(IoConsumer<Id> each) throws IOException {
    query("SELECT id, size FROM stored WHERE id NOT IN (SELECT id FROM indexed)",
        (id, size) -> each.accept(id));
  }

  interface PackVisitor {
    void pack(Id id, long size) throws IOException;
  }

  /** Packs both stored and indexed, with their stored sizes, in the order of their IDs. */
  void present(PackVisitor each) throws IOException {
    query("SELECT s.id, s.size FROM stored s JOIN indexed i ON s.id = i.id ORDER BY s.id", each);
  }

  private void query(String sql, PackVisitor each) throws IOException {
    try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        each.pack(Id.of(r.getBytes(1)), r.getLong(2));
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private IOException failure(SQLException e) {
    return new IOException("The check's scratch file " + file + " failed (" + e.getMessage()
        + "). Check the free space of the spool directory.", e);
  }

  @Override
  public void close() throws IOException {
    try {
      db.close();
    } catch (SQLException ignored) {
      // A scratch file: deleted below whatever the close reports.
    }
    Files.deleteIfExists(file);
  }
}

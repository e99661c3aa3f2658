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
 * What a check or a prune has to remember, in a SQLite file in the spool directory rather than
 * on the heap: the packs stored and the packs indexed (with their sizes) and the trees already
 * checked; for a prune also the blobs the snapshots use, the blobs kept so far and the packs to
 * delete. SQLite keeps at most {@link #CACHE_KIB} KiB of its pages in memory; a repository of a
 * million blobs (60,000 packs, some 100,000 trees) is about 10 MB of file for a check, and some
 * 50 bytes a blob more for a prune.
 */
final class CheckTables implements Closeable {
  private static final int CACHE_KIB = 2048;

  private final Path file;
  private final Connection db;
  private final PreparedStatement addStored;
  private final PreparedStatement addIndexed;
  private final PreparedStatement addTree;
  private final PreparedStatement addUsed;
  private final PreparedStatement isUsed;
  private final PreparedStatement addKept;
  private final PreparedStatement addVisited;
  private final PreparedStatement addDoomed;

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
        s.execute("CREATE TABLE used (id BLOB, type INTEGER, PRIMARY KEY (id, type))"
            + " WITHOUT ROWID");
        s.execute("CREATE TABLE kept (id BLOB, type INTEGER, PRIMARY KEY (id, type))"
            + " WITHOUT ROWID");
        s.execute("CREATE TABLE visited (id BLOB PRIMARY KEY) WITHOUT ROWID");
        s.execute("CREATE TABLE doomed (id BLOB PRIMARY KEY) WITHOUT ROWID");
      }
      db.setAutoCommit(false);
      addStored = db.prepareStatement("INSERT OR REPLACE INTO stored VALUES (?, ?)");
      addIndexed = db.prepareStatement("INSERT OR IGNORE INTO indexed VALUES (?)");
      addTree = db.prepareStatement("INSERT OR IGNORE INTO trees VALUES (?)");
      addUsed = db.prepareStatement("INSERT OR IGNORE INTO used VALUES (?, ?)");
      isUsed = db.prepareStatement("SELECT 1 FROM used WHERE id = ? AND type = ?");
      addKept = db.prepareStatement("INSERT OR IGNORE INTO kept VALUES (?, ?)");
      addVisited = db.prepareStatement("INSERT OR IGNORE INTO visited VALUES (?)");
      addDoomed = db.prepareStatement("INSERT OR IGNORE INTO doomed VALUES (?)");
    } catch (SQLException e) {
      Files.deleteIfExists(file);
      throw failure(e);
    }
  }

  /** Records every pack the repository's storage holds and every pack its index names. */
  void recordPacks(Repository repo) throws IOException {
    repo.storage().list("data", e -> stored(
        Id.parse(e.name().substring(e.name().lastIndexOf('/') + 1)), e.size()));
    BlobIndex index = repo.index();
    for (int i = 0; i < index.packCount(); i++) {
      indexed(index.pack(i));
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
    return insert(addTree, tree, null);
  }

  /** Records that a snapshot uses the blob; false when that was recorded before. */
  boolean use(Id blob, BlobType type) throws IOException {
    return insert(addUsed, blob, type);
  }

  boolean used(Id blob, BlobType type) throws IOException {
    try {
      isUsed.setBytes(1, blob.bytes());
      isUsed.setInt(2, type.ordinal());
      try (ResultSet r = isUsed.executeQuery()) {
        return r.next();
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /** Records that a copy of the blob is kept; false when one was kept before (a duplicate). */
  boolean keep(Id blob, BlobType type) throws IOException {
    return insert(addKept, blob, type);
  }

  /** Records the pack as seen; false when another index file listed it before. */
  boolean firstSight(Id pack) throws IOException {
    return insert(addVisited, pack, null);
  }

  /** Marks the pack for deletion once the new index is stored. */
  void doom(Id pack) throws IOException {
    insert(addDoomed, pack, null);
  }

  /** The packs marked for deletion and those no index names, with their stored sizes. */
  void deletable(PackVisitor each) throws IOException {
    query("SELECT s.id, s.size FROM stored s WHERE s.id IN (SELECT id FROM doomed)"
        + " OR s.id NOT IN (SELECT id FROM indexed)", each);
  }

  private boolean insert(PreparedStatement st, Id id, BlobType type) throws IOException {
    try {
      st.setBytes(1, id.bytes());
      if (type != null) {
        st.setInt(2, type.ordinal());
      }
      return st.executeUpdate() == 1;
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

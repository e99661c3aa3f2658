package io.haven.restic;

import io.haven.archive.ArchiveException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * restic's prune, under its exclusive lock: the blobs every snapshot still uses are marked, packs
 * that hold none of them are deleted, and data packs of which at least half the bytes are unused,
 * and tree packs with any unused tree, have their used blobs copied into new packs and are
 * deleted too. Crash-safe in restic's order: new packs, then index files naming every pack kept,
 * then the old index files go, and the packs last, so a kill at any point leaves at most packs no
 * index names (which the next prune removes). The marks live in {@link CheckTables}, not on the
 * heap.
 */
final class Pruner {
  private final Repository repo;
  private final Storage storage;
  private final CheckTables tables;
  private final PackWriter.Scratch zbuf = new PackWriter.Scratch();
  private final Map<BlobType, PackWriter> repacks = new EnumMap<>(BlobType.class);
  private final List<BlobEntry> unindexed = new ArrayList<>();
  private long packsRepacked;
  private long bytesWritten;

  private Pruner(Repository repo, CheckTables tables) {
    this.repo = repo;
    this.storage = repo.storage();
    this.tables = tables;
  }

  static Vault.Reclaimed prune(Repository repo) throws IOException {
    try (Lock lock = Lock.acquire(repo, true);
        CheckTables tables = new CheckTables(repo.spool())) {
      repo.loadIndex(); // as it is now that nothing else writes
      try {
        return new Pruner(repo, tables).run();
      } finally {
        repo.loadIndex();
      }
    }
  }

  private Vault.Reclaimed run() throws IOException {
    try {
      return sweep();
    } finally {
      repacks.values().forEach(PackWriter::abandon); // only after a failure: none stay open
    }
  }

  private Vault.Reclaimed sweep() throws IOException {
    tables.recordPacks(repo);
    tables.missing(pack -> {
      throw new ArchiveException.Corrupt("Pack " + pack + " of the repository at "
          + repo.describe() + " is missing, so nothing was removed. Run verify on it.");
    });
    for (StoredSnapshot s : repo.snapshots()) {
      mark(s.snapshot().treeId(), s);
    }
    List<Storage.Entry> oldIndexes = storage.list("index");
    for (Storage.Entry e : oldIndexes) {
      repo.readIndexFile(e.name(), this::sort);
    }
    for (BlobType type : BlobType.values()) {
      finish(type);
    }
    writeIndex();
    for (Storage.Entry e : oldIndexes) {
      storage.delete(e.name());
    }
    long[] deleted = new long[2];
    tables.deletable((pack, size) -> {
      storage.delete(Repository.packName(pack));
      deleted[0]++;
      deleted[1] += size;
    });
    return new Vault.Reclaimed(deleted[0], packsRepacked, deleted[1] - bytesWritten);
  }

  // Every blob a snapshot's trees reach, each tree read once however many snapshots share it.
  private void mark(Id tree, StoredSnapshot from) throws IOException {
    if (!tables.use(tree, BlobType.TREE)) {
      return;
    }
    for (Node n : repo.readTree(tree).nodes()) {
      if (Node.DIRECTORY.equals(n.type()) && n.subtree() != null) {
        mark(n.subtreeId(), from);
      } else if (Node.FILE.equals(n.type()) && n.content() != null) {
        for (Id blob : n.contentIds()) {
          if (!repo.index().has(blob, BlobType.DATA)) {
            throw new ArchiveException.Corrupt("Snapshot " + from.id().shortId() + " in "
                + repo.describe() + " needs data the repository does not have, so nothing was"
                + " removed. Run verify on it.");
          }
          tables.use(blob, BlobType.DATA);
        }
      }
    }
  }

  // One pack of an old index: kept as it is, repacked, or deleted.
  private void sort(Id pack, List<BlobEntry> blobs) throws IOException {
    if (!tables.firstSight(pack)) {
      return; // named by an earlier index file too
    }
    List<BlobEntry> keep = new ArrayList<>();
    long total = 0;
    long used = 0;
    boolean trees = false;
    for (BlobEntry b : blobs) {
      total += b.length();
      trees |= b.type() == BlobType.TREE;
      if (tables.used(b.id(), b.type()) && tables.keep(b.id(), b.type())) {
        keep.add(b);
        used += b.length();
      }
    }
    // A pack of trees is repacked for any unused tree, as restic does (trees are small and every
    // restore reads them); otherwise restic's own prune would find work in a pruned repository.
    if (trees ? used == total : used * 2 > total) {
      index(blobs); // its header lists every blob, so must its index
      return;
    }
    for (BlobEntry b : keep) {
      byte[] sealed = storage.read(Repository.packName(pack), b.offset(), b.length());
      // A damaged blob stops the prune before anything is lost; the sealed bytes are kept.
      repo.decodeBlob(b, sealed.clone(), 0);
      PackWriter w = repacks.get(b.type());
      if (w == null) {
        w = new PackWriter(repo.crypto(), b.type(), repo.spool(), zbuf);
        repacks.put(b.type(), w);
      }
      w.addSealed(b, sealed);
      if (w.full()) {
        finish(b.type());
      }
    }
    if (!keep.isEmpty()) {
      packsRepacked++;
    }
    tables.doom(pack);
  }

  private void finish(BlobType type) throws IOException {
    PackWriter w = repacks.remove(type);
    if (w == null || w.isEmpty()) {
      return;
    }
    List<BlobEntry> done = w.finish(storage);
    bytesWritten += w.size();
    index(done);
  }

  // Into the next index file, which is stored once it is as large as restic keeps them.
  private void index(List<BlobEntry> blobs) throws IOException {
    unindexed.addAll(blobs);
    if (unindexed.size() >= SnapshotWriter.INDEX_BLOBS) {
      writeIndex();
    }
  }

  private void writeIndex() throws IOException {
    if (!unindexed.isEmpty()) {
      repo.saveUnpacked("index", IndexJson.write(unindexed));
      unindexed.clear();
    }
  }
}

package io.haven.restic;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one snapshot in restic's order: blobs into packs (each stored under a temporary name,
 * then renamed), an index file after the packs it lists, the snapshot file last. A blob the
 * repository already holds is not stored again. Until {@link #commit} nothing refers to the new
 * packs, so a crash leaves at most unreferenced packs, which {@code prune} removes.
 */
public final class SnapshotWriter implements Closeable {
  /** restic keeps index files to about this many blobs. */
  static final int INDEX_BLOBS = 20_000;

  private final Repository repo;
  private final Chunker chunker;
  private final byte[] chunk = new byte[Chunker.MAX];
  private final byte[] zbuf = PackWriter.compressionBuffer();
  private final Map<BlobType, PackWriter> open = new EnumMap<>(BlobType.class);
  private final Set<Id> inOpenPacks = new HashSet<>();
  private final List<BlobEntry> unindexed = new ArrayList<>();
  private final Stats stats = new Stats();

  /** What this snapshot added: blobs and bytes new to the repository, and bytes read. */
  public static final class Stats {
    long newBlobs;
    long newBytes;
    long storedBytes;
    long readBytes;

    public long newBlobs() {
      return newBlobs;
    }

    /** Plaintext bytes of the new blobs. */
    public long newBytes() {
      return newBytes;
    }

    /** Bytes the new blobs take in packs (compressed and encrypted). */
    public long storedBytes() {
      return storedBytes;
    }

    /** File content read. */
    public long readBytes() {
      return readBytes;
    }
  }

  /** A file's data blobs in order, and its size. */
  public record Content(List<String> blobs, long size) {}

  SnapshotWriter(Repository repo) {
    this.repo = repo;
    this.chunker = new Chunker(repo.config().polynomial());
  }

  public Stats stats() {
    return stats;
  }

  /** Chunks {@code in} with the repository's polynomial and stores each new chunk. */
  public Content saveContent(InputStream in) throws IOException {
    chunker.start(in);
    List<String> ids = new ArrayList<>();
    long size = 0;
    for (int n; (n = chunker.next(chunk)) > 0; size += n) {
      ids.add(save(BlobType.DATA, chunk, n).toString());
    }
    stats.readBytes += size;
    return new Content(ids, size);
  }

  /** Stores a tree of these nodes (sorted by name here) and returns its ID. */
  public Id saveTree(List<Node> nodes) throws IOException {
    byte[] blob = Tree.encode(nodes);
    return save(BlobType.TREE, blob, blob.length);
  }

  private Id save(BlobType type, byte[] plain, int length) throws IOException {
    Id id = Id.hash(plain, 0, length);
    if (inOpenPacks.contains(id) || repo.index().has(id, type)) {
      return id;
    }
    PackWriter pack = open.get(type);
    if (pack == null) {
      pack = new PackWriter(repo.crypto(), type, repo.spool(), zbuf);
      open.put(type, pack);
    }
    BlobEntry e = pack.add(id, plain, length);
    inOpenPacks.add(id);
    stats.newBlobs++;
    stats.newBytes += length;
    stats.storedBytes += e.length();
    if (pack.full()) {
      finish(type);
    }
    return id;
  }

  private void finish(BlobType type) throws IOException {
    PackWriter pack = open.remove(type);
    if (pack == null || pack.isEmpty()) {
      return;
    }
    List<BlobEntry> done = pack.finish(repo.storage());
    int n = repo.index().addPack(done.get(0).pack());
    for (BlobEntry b : done) {
      repo.index().add(b, n);
      inOpenPacks.remove(b.id());
    }
    unindexed.addAll(done);
    if (unindexed.size() >= INDEX_BLOBS) {
      writeIndex();
    }
  }

  private void writeIndex() throws IOException {
    if (!unindexed.isEmpty()) {
      repo.saveUnpacked("index", IndexJson.write(unindexed));
      unindexed.clear();
    }
  }

  /**
   * Stores the remaining packs, their index, then the snapshot of {@code tree}.
   *
   * @param backupJson the backup's {@code backup.json}, kept in the snapshot; may be null
   * @return the new snapshot's ID
   */
  public Id commit(Id tree, List<String> paths, List<String> tags, Instant time,
      JsonNode backupJson) throws IOException {
    finish(BlobType.DATA);
    finish(BlobType.TREE);
    writeIndex();
    Snapshot s = new Snapshot(time.toString(), null, tree.toString(), paths, Repository.host(),
        Repository.user(), null, null, tags, null, backupJson);
    return repo.saveUnpacked("snapshots", Json.write(s));
  }

  /** Drops packs not yet stored; stored ones stay unreferenced until a prune. */
  @Override
  public void close() {
    for (PackWriter p : open.values()) {
      p.abandon();
    }
    open.clear();
  }
}

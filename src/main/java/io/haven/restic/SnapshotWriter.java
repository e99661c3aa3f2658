package io.haven.restic;

import com.fasterxml.jackson.databind.JsonNode;
import io.haven.archive.ArchiveException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Writes one snapshot in restic's order: blobs into packs (each stored under a temporary name,
 * then renamed), an index file after the packs it lists, the snapshot file last. A blob the
 * repository already holds is not stored again. Until {@link #commit} nothing refers to the new
 * packs, so a crash leaves at most unreferenced packs, which {@code prune} removes.
 *
 * <p>The calling thread chunks and hashes; one packing thread compresses, encrypts and stores,
 * so both cores work. They pass two chunk buffers between them, made once: while one chunk is
 * packed the next is read. The repository's index is touched by the calling thread only:
 * stored packs come back to it.
 */
public final class SnapshotWriter implements Closeable {
  /** restic keeps index files to about this many blobs. */
  static final int INDEX_BLOBS = 20_000;
  private final Repository repo;
  private final Chunker chunker;
  private final Set<Id> pending = new HashSet<>();
  private final Stats stats = new Stats();
  private final Packer packer;

  /** What this snapshot added: blobs and bytes new to the repository, and bytes read. */
  public static final class Stats {
    long newBlobs;
    long newBytes;
    volatile long storedBytes;
    long readBytes;
    long unchangedBytes;

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

    /** File content read and chunked. */
    public long readBytes() {
      return readBytes;
    }

    /** File content taken over from the parent snapshot, neither read nor chunked. */
    public long unchangedBytes() {
      return unchangedBytes;
    }
  }

  /** A file's data blobs in order, and its size. */
  public record Content(List<String> blobs, long size) {}

  SnapshotWriter(Repository repo) throws IOException {
    this.repo = repo;
    this.chunker = new Chunker(repo.config().polynomial());
    this.packer = new Packer(repo, stats);
  }

  public Stats stats() {
    return stats;
  }

  /** Chunks {@code in} with the repository's polynomial and stores each new chunk. */
  public Content saveContent(InputStream in) throws IOException {
    chunker.start(in);
    List<String> ids = new ArrayList<>();
    long size = 0;
    byte[] chunk = packer.buffer();
    for (int n; (n = chunker.next(chunk)) > 0; size += n) {
      Id id = Id.hash(chunk, 0, n);
      if (isNew(id, BlobType.DATA, n)) {
        packer.add(BlobType.DATA, id, chunk, n, true);
        chunk = packer.buffer();
      }
      ids.add(id.toString());
    }
    packer.giveBack(chunk);
    stats.readBytes += size;
    return new Content(ids, size);
  }

  /**
   * A file's content that the repository holds already, as the parent snapshot lists it, if
   * every one of its blobs is still indexed; nothing is read or stored.
   */
  public Optional<Content> known(List<String> blobs, long size) throws IOException {
    indexStored();
    for (String blob : blobs) {
      if (!repo.index().has(Id.parse(blob), BlobType.DATA)) {
        return Optional.empty();
      }
    }
    stats.unchangedBytes += size;
    return Optional.of(new Content(blobs, size));
  }

  /**
   * Whether the tree {@code id}, the trees below it and all their files' blobs are indexed, so
   * that a directory unchanged since the parent snapshot can be taken over whole; its files'
   * bytes then count as unchanged. A tree that cannot be read is not known.
   */
  public boolean knownTree(Id id) throws IOException {
    indexStored();
    long[] bytes = {0};
    if (!indexed(id, bytes)) {
      return false;
    }
    stats.unchangedBytes += bytes[0];
    return true;
  }

  private boolean indexed(Id tree, long[] bytes) throws IOException {
    if (!repo.index().has(tree, BlobType.TREE)) {
      return false;
    }
    List<Node> nodes;
    try {
      nodes = repo.readTree(tree).nodes();
    } catch (ArchiveException.Corrupt e) {
      return false;
    }
    for (Node n : nodes) {
      for (String blob : n.content() == null ? List.<String>of() : n.content()) {
        if (!repo.index().has(Id.parse(blob), BlobType.DATA)) {
          return false;
        }
      }
      if (n.subtree() != null && !indexed(n.subtreeId(), bytes)) {
        return false;
      }
      bytes[0] += Node.FILE.equals(n.type()) && n.size() != null ? n.size() : 0;
    }
    return true;
  }

  /** Stores a tree of these nodes (sorted by name here) and returns its ID. */
  public Id saveTree(List<Node> nodes) throws IOException {
    byte[] blob = Tree.encode(nodes);
    Id id = Id.hash(blob, 0, blob.length);
    if (isNew(id, BlobType.TREE, blob.length)) {
      packer.add(BlobType.TREE, id, blob, blob.length, false);
    }
    return id;
  }

  // Whether the blob is new to the repository and to this snapshot; if so, it is counted.
  private boolean isNew(Id id, BlobType type, int length) throws IOException {
    indexStored();
    if (pending.contains(id) || repo.index().has(id, type)) {
      return false;
    }
    pending.add(id);
    stats.newBlobs++;
    stats.newBytes += length;
    return true;
  }

  // Packs the packing thread stored go into the index, so later blobs are found there.
  private void indexStored() throws IOException {
    for (List<BlobEntry> done; (done = packer.stored.poll()) != null; ) {
      int n = repo.index().addPack(done.get(0).pack());
      for (BlobEntry b : done) {
        repo.index().add(b, n);
        pending.remove(b.id());
      }
    }
  }

  /**
   * Stores the remaining packs, their index, then the snapshot of {@code tree}.
   *
   * @param parent the snapshot whose unchanged files were taken over; may be null
   * @param backupJson the backup's {@code backup.json}, kept in the snapshot; may be null
   * @return the new snapshot's ID
   */
  public Id commit(Id tree, Id parent, List<String> paths, List<String> tags, Instant time,
      JsonNode backupJson) throws IOException {
    packer.finishAll();
    indexStored();
    Snapshot s = new Snapshot(time.toString(), parent == null ? null : parent.toString(),
        tree.toString(), paths, Repository.host(),
        Repository.user(), null, null, tags, null, backupJson);
    return repo.saveUnpacked("snapshots", Json.write(s));
  }

  /** Drops packs not yet stored; stored ones stay unreferenced until a prune. */
  @Override
  public void close() {
    packer.close();
  }

  /**
   * The packing thread: one open pack per blob type, stored when full, and index files written
   * after the packs they list. Every storage write of a snapshot but the snapshot's own is here.
   */
  private static final class Packer implements Closeable {
    private static final int BUFFERS = 2;
    private final Repository repo;
    private final Stats stats;
    private final PackWriter.Scratch zbuf = new PackWriter.Scratch();
    private final Map<BlobType, PackWriter> open = new EnumMap<>(BlobType.class);
    private final List<BlobEntry> unindexed = new ArrayList<>();
    private final BlockingQueue<byte[]> buffers = new ArrayBlockingQueue<>(BUFFERS);
    private int made; // chunk buffers made so far, by the calling thread
    private final Workers thread = new Workers("haven-restic-packer", 1, 2);
    final Queue<List<BlobEntry>> stored = new ConcurrentLinkedQueue<>();

    Packer(Repository repo, Stats stats) {
      this.repo = repo;
      this.stats = stats;
    }

    /**
     * A free chunk buffer; waits while both are being packed. They are made when first needed:
     * a copy whose files are all unchanged chunks only its own small files.
     */
    byte[] buffer() throws IOException {
      if (buffers.isEmpty() && made < BUFFERS) {
        made++;
        return new byte[Chunker.MAX];
      }
      try {
        return buffers.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("stopped while storing packs");
      }
    }

    void giveBack(byte[] buffer) {
      buffers.add(buffer);
    }

    /**
     * Packs {@code plain[0, length)} on the packing thread; {@code pooled} says it is one of
     * the two chunk buffers, given back once packed.
     */
    void add(BlobType type, Id id, byte[] plain, int length, boolean pooled) throws IOException {
      thread.submit(() -> pack(type, id, plain, length), () -> {
        if (pooled) {
          giveBack(plain);
        }
      });
    }

    private void pack(BlobType type, Id id, byte[] plain, int length) throws IOException {
      PackWriter pack = open.get(type);
      if (pack == null) {
        pack = new PackWriter(repo.crypto(), type, repo.spool(), zbuf);
        open.put(type, pack);
      }
      stats.storedBytes += pack.add(id, plain, length).length();
      if (pack.full()) {
        store(type);
      }
    }

    private void store(BlobType type) throws IOException {
      PackWriter pack = open.remove(type);
      if (pack == null || pack.isEmpty()) {
        return;
      }
      List<BlobEntry> done = pack.finish(repo.storage());
      stored.add(done);
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

    /** Stores the open packs and the last index file, and waits until they are stored. */
    void finishAll() throws IOException {
      thread.submit(() -> {
        store(BlobType.DATA);
        store(BlobType.TREE);
        writeIndex();
      });
      thread.finish();
    }

    @Override
    public void close() {
      thread.close();
      for (PackWriter p : open.values()) {
        p.abandon();
      }
      open.clear();
    }
  }
}

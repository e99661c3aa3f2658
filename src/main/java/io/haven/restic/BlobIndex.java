package io.haven.restic;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Where every blob of the repository is, held compactly: 48 bytes a blob (ID 32, pack number
 * with the type in its top bit 4, offset 4, encrypted length 4, plaintext length 4) in sorted
 * runs in memory-mapped temporary files, so they live in the page cache and not on the Java
 * heap; the packs' IDs likewise, 32 bytes a pack, in mapped segments of
 * {@link #PACKS_PER_SEGMENT}. New entries collect in a small table (at most {@link #PENDING} of
 * them, about 4 MB of heap) that is sorted into a run when full; more than {@link #MAX_RUNS}
 * runs are merged into one. A million blobs are 48 MB of file and the same heap as ten.
 */
final class BlobIndex implements Closeable {
  static final int RECORD = 48;
  static final int PENDING = 32 * 1024;
  private static final int MAX_RUNS = 8;
  private static final int TREE_BIT = 1 << 31;

  static final int PACKS_PER_SEGMENT = 32 * 1024;

  private final Path dir;
  private final FileChannel packFile;
  private final List<MappedByteBuffer> packSegments = new ArrayList<>();
  private int packCount;
  private final byte[] pending = new byte[PENDING * RECORD];
  private final Map<Key, Integer> pendingAt = new HashMap<>();
  private final List<Run> runs = new ArrayList<>();
  private long size;

  private record Key(Id id, BlobType type) {}

  private record Run(Path file, MappedByteBuffer buf, int count) {
    int compare(int i, byte[] id, int type) {
      int base = i * RECORD;
      for (int k = 0; k < Id.BYTES; k++) {
        int c = Integer.compare(buf.get(base + k) & 0xff, id[k] & 0xff);
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(buf.getInt(base + 32) >>> 31, type);
    }
  }

  BlobIndex(Path spoolDir) throws IOException {
    this.dir = Files.createTempDirectory(spoolDir, ".index-");
    this.packFile = FileChannel.open(dir.resolve("packs"), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  /** Registers a pack and returns its number for {@link #add}. */
  int addPack(Id pack) throws IOException {
    int segment = packCount / PACKS_PER_SEGMENT;
    if (segment == packSegments.size()) {
      long size = (long) PACKS_PER_SEGMENT * Id.BYTES;
      packSegments.add(packFile.map(FileChannel.MapMode.READ_WRITE, segment * size, size));
    }
    packSegments.get(segment).put(packCount % PACKS_PER_SEGMENT * Id.BYTES, pack.bytes());
    return packCount++;
  }

  int packCount() {
    return packCount;
  }

  Id pack(int number) {
    byte[] id = new byte[Id.BYTES];
    packSegments.get(number / PACKS_PER_SEGMENT).get(number % PACKS_PER_SEGMENT * Id.BYTES, id);
    return Id.of(id);
  }

  void add(BlobEntry e, int packNumber) throws IOException {
    Key key = new Key(e.id(), e.type());
    if (pendingAt.containsKey(key)) {
      return;
    }
    if (pendingAt.size() == PENDING) {
      flush();
    }
    int slot = pendingAt.size();
    ByteBuffer b = ByteBuffer.wrap(pending, slot * RECORD, RECORD).order(ByteOrder.BIG_ENDIAN);
    b.put(e.id().bytes())
        .putInt(packNumber | (e.type() == BlobType.TREE ? TREE_BIT : 0))
        .putInt((int) e.offset()).putInt(e.length()).putInt(e.rawLength());
    pendingAt.put(key, slot);
    size++;
  }

  /** Entries counted as added; a blob stored in two packs counts twice. */
  long size() {
    return size;
  }

  boolean has(Id id, BlobType type) {
    return find(id, type).isPresent();
  }

  Optional<BlobEntry> find(Id id, BlobType type) {
    Integer slot = pendingAt.get(new Key(id, type));
    if (slot != null) {
      return Optional.of(entry(ByteBuffer.wrap(pending), slot * RECORD));
    }
    byte[] raw = id.bytes();
    int t = type == BlobType.TREE ? 1 : 0;
    for (Run run : runs) {
      int lo = 0;
      int hi = run.count - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int c = run.compare(mid, raw, t);
        if (c == 0) {
          return Optional.of(entry(run.buf, mid * RECORD));
        }
        if (c < 0) {
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
    }
    return Optional.empty();
  }

  private BlobEntry entry(ByteBuffer b, int base) {
    byte[] id = new byte[Id.BYTES];
    b.get(base, id);
    int packWord = b.getInt(base + 32);
    return new BlobEntry(Id.of(id), (packWord & TREE_BIT) != 0 ? BlobType.TREE : BlobType.DATA,
        pack(packWord & ~TREE_BIT), Integer.toUnsignedLong(b.getInt(base + 36)),
        b.getInt(base + 40), b.getInt(base + 44));
  }

  // Sorts the pending table into a new run; merges the runs when there are too many.
  private void flush() throws IOException {
    if (pendingAt.isEmpty()) {
      return;
    }
    Integer[] order = pendingAt.values().toArray(new Integer[0]);
    Arrays.sort(order, this::comparePending);
    Path file = Files.createTempFile(dir, "run-", ".idx");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      for (int slot : order) {
        out.write(pending, slot * RECORD, RECORD);
      }
    }
    pendingAt.clear();
    runs.add(map(file, order.length));
    if (runs.size() > MAX_RUNS) {
      merge();
    }
  }

  private int comparePending(int x, int y) {
    int a = x * RECORD;
    int b = y * RECORD;
    int c = Arrays.compareUnsigned(pending, a, a + Id.BYTES, pending, b, b + Id.BYTES);
    return c != 0 ? c : Integer.compare(pending[a + 32] & 0x80, pending[b + 32] & 0x80);
  }

  private static Run map(Path file, int count) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return new Run(file, ch.map(FileChannel.MapMode.READ_ONLY, 0, (long) count * RECORD), count);
    }
  }

  private record Cursor(Run run, int at) {}

  private void merge() throws IOException {
    PriorityQueue<Cursor> heads = new PriorityQueue<>((a, b) -> compare(a, b));
    long total = 0;
    for (Run r : runs) {
      total += r.count;
      if (r.count > 0) {
        heads.add(new Cursor(r, 0));
      }
    }
    if (total * RECORD > Integer.MAX_VALUE) {
      throw new IOException("the index has more blobs than one file can map (" + total + ")");
    }
    Path file = Files.createTempFile(dir, "run-", ".idx");
    byte[] rec = new byte[RECORD];
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      while (!heads.isEmpty()) {
        Cursor c = heads.poll();
        c.run.buf.get(c.at * RECORD, rec);
        out.write(rec);
        if (c.at + 1 < c.run.count) {
          heads.add(new Cursor(c.run, c.at + 1));
        }
      }
    }
    for (Run r : runs) {
      Files.deleteIfExists(r.file);
    }
    runs.clear();
    runs.add(map(file, (int) total));
  }

  private static int compare(Cursor a, Cursor b) {
    int pa = a.at * RECORD;
    int pb = b.at * RECORD;
    for (int k = 0; k < Id.BYTES; k++) {
      int c = Integer.compare(a.run.buf.get(pa + k) & 0xff, b.run.buf.get(pb + k) & 0xff);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.run.buf.getInt(pa + 32) >>> 31, b.run.buf.getInt(pb + 32) >>> 31);
  }

  @Override
  public void close() throws IOException {
    packFile.close();
    packSegments.clear();
    for (Run r : runs) {
      Files.deleteIfExists(r.file);
    }
    runs.clear();
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }
}

package io.haven.restic;

import com.github.luben.zstd.Zstd;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects blobs of one type into a pack spooled to a local file; {@link #finish} appends the
 * header, names the pack by its SHA-256 and hands the file to the storage. Holds one compression
 * buffer of a maximal chunk's bound, reused for every blob.
 */
final class PackWriter {
  /** restic's default pack size: packs are finished once they reach it. */
  static final long TARGET = 16L * 1024 * 1024;
  /** Keeps a pack of many small tree blobs to a header of under a megabyte. */
  static final int MAX_BLOBS = 20_000;
  private static final int IO_BUFFER = 256 * 1024;

  private final Crypto crypto;
  private final BlobType type;
  private final Path spool;
  private final MessageDigest sha = Id.sha256();
  private final OutputStream out;
  private final List<BlobEntry> blobs = new ArrayList<>();
  private final Scratch zbuf;
  private long size;

  /**
   * The buffer blobs are compressed in, grown (by powers of two) to the largest blob
   * so far: a copy that adds only trees and small files never holds the 8 MiB a largest chunk
   * needs.
   */
  static final class Scratch {
    private byte[] bytes = new byte[0];

    byte[] forBlob(int length) {
      int need = (int) Zstd.compressBound(length);
      if (bytes.length < need) {
        bytes = new byte[Math.min(Integer.highestOneBit(need - 1) << 1,
            (int) Zstd.compressBound(Chunker.MAX))];
      }
      return bytes;
    }
  }

  PackWriter(Crypto crypto, BlobType type, Path spoolDir, Scratch zbuf) throws IOException {
    this.crypto = crypto;
    this.type = type;
    this.zbuf = zbuf;
    this.spool = Files.createTempFile(spoolDir, ".pack-", ".haven-tmp");
    this.out = new DigestOutputStream(
        new BufferedOutputStream(Files.newOutputStream(spool), IO_BUFFER), sha);
  }

  /** Compresses (when that saves bytes), encrypts and appends one blob. */
  BlobEntry add(Id id, byte[] plain, int length) throws IOException {
    byte[] zbuf = this.zbuf.forBlob(length);
    int zlen = Blobs.zstd(zbuf, plain, length);
    BlobEntry e;
    // Trees are always compressed, even when that does not save: restic's prune repacks a pack
    // of trees stored plain, so a repository Haven writes would never look finished to it.
    if (zlen < length || type == BlobType.TREE) {
      int n = crypto.sealTo(zbuf, 0, zlen, out);
      e = new BlobEntry(id, type, null, size, n, length);
    } else {
      // Incompressible: stored as it is.
      int n = crypto.sealTo(plain, 0, length, out);
      e = new BlobEntry(id, type, null, size, n, 0);
    }
    size += e.length();
    blobs.add(e);
    return e;
  }

  /**
   * Appends a blob stored in another pack as it is, sealed bytes and lengths unchanged (a
   * repack): a blob's encryption does not depend on where it lies.
   */
  BlobEntry addSealed(BlobEntry from, byte[] sealed) throws IOException {
    out.write(sealed);
    BlobEntry e = new BlobEntry(from.id(), type, null, size, sealed.length, from.rawLength());
    size += e.length();
    blobs.add(e);
    return e;
  }

  boolean full() {
    return size >= TARGET || blobs.size() >= MAX_BLOBS;
  }

  boolean isEmpty() {
    return blobs.isEmpty();
  }

  long size() {
    return size;
  }

  /** Writes the header, stores the pack and returns its blobs with the pack's ID. */
  List<BlobEntry> finish(Storage storage) throws IOException {
    byte[] header = crypto.seal(PackFormat.header(blobs));
    out.write(header);
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(header.length).array());
    out.close();
    Id pack = Id.of(sha.digest());
    storage.put(Repository.packName(pack), spool);
    List<BlobEntry> done = new ArrayList<>(blobs.size());
    for (BlobEntry b : blobs) {
      done.add(new BlobEntry(b.id(), b.type(), pack, b.offset(), b.length(), b.rawLength()));
    }
    return done;
  }

  /** Drops the spooled file of a pack that will not be finished. */
  void abandon() {
    try {
      out.close();
      Files.deleteIfExists(spool);
    } catch (IOException ignored) {
      // Only a leftover temporary in the spool directory; nothing in the repository changed.
    }
  }
}

package io.haven.restic;

import io.haven.archive.ArchiveException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A pack's header: after the blobs, the encrypted list of (type, lengths, ID) per blob, then its
 * encrypted length as four little-endian bytes. Types 0/1 are plain data/tree blobs, 2/3 the
 * zstd-compressed ones of format version 2, which also state the plaintext's length.
 */
final class PackFormat {
  static final int PLAIN_ENTRY = 1 + 4 + Id.BYTES;
  static final int COMPRESSED_ENTRY = 1 + 4 + 4 + Id.BYTES;
  /** restic reads at most this much from a pack's end first, guessing at the header's size. */
  static final int MAX_HEADER = 16 * 1024 * 1024;

  private PackFormat() {}

  static byte[] header(List<BlobEntry> blobs) {
    int size = 0;
    for (BlobEntry b : blobs) {
      size += b.compressed() ? COMPRESSED_ENTRY : PLAIN_ENTRY;
    }
    ByteBuffer buf = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    for (BlobEntry b : blobs) {
      int type = (b.type() == BlobType.TREE ? 1 : 0) | (b.compressed() ? 2 : 0);
      buf.put((byte) type).putInt(b.length());
      if (b.compressed()) {
        buf.putInt(b.rawLength());
      }
      buf.put(b.id().bytes());
    }
    return buf.array();
  }

  /** The blobs a decrypted header lists, with offsets counted from the pack's start. */
  static List<BlobEntry> parse(byte[] header, Id pack) throws ArchiveException {
    ByteBuffer buf = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    List<BlobEntry> out = new ArrayList<>();
    long offset = 0;
    while (buf.hasRemaining()) {
      int type = buf.get() & 0xff;
      if (type > 3) {
        throw new ArchiveException.Corrupt("Pack " + pack + " has a blob of unknown type " + type
            + " in its header.");
      }
      int need = (type >= 2 ? COMPRESSED_ENTRY : PLAIN_ENTRY) - 1;
      if (buf.remaining() < need) {
        throw new ArchiveException.Corrupt("Pack " + pack + " has a truncated header.");
      }
      int length = buf.getInt();
      int raw = type >= 2 ? buf.getInt() : 0;
      byte[] id = new byte[Id.BYTES];
      buf.get(id);
      if (length < Crypto.OVERHEAD || (type >= 2 && raw <= 0)) {
        throw new ArchiveException.Corrupt("Pack " + pack + " lists a blob of impossible length "
            + length + ".");
      }
      out.add(new BlobEntry(Id.of(id), (type & 1) == 1 ? BlobType.TREE : BlobType.DATA, pack,
          offset, length, raw));
      offset += Integer.toUnsignedLong(length);
    }
    return out;
  }
}

package io.haven.restic;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.haven.archive.ArchiveException;

/**
 * zstd as restic uses it for blobs and unpacked files: one frame, its size bounded. Each thread
 * keeps one compression and one decompression context: making one per blob, as the one-shot
 * calls do, cost more than the work for the thousands of small blobs of a data root.
 */
final class Blobs {
  static final int ZSTD_LEVEL = 3;
  private static final ThreadLocal<ZstdCompressCtx> COMPRESS = ThreadLocal.withInitial(() -> {
    ZstdCompressCtx c = new ZstdCompressCtx();
    c.setLevel(ZSTD_LEVEL);
    return c;
  });
  private static final ThreadLocal<ZstdDecompressCtx> DECOMPRESS =
      ThreadLocal.withInitial(ZstdDecompressCtx::new);

  private Blobs() {}

  /** Compresses {@code src[0, length)} into {@code dst}; returns the compressed length. */
  static int zstd(byte[] dst, byte[] src, int length) {
    return COMPRESS.get().compressByteArray(dst, 0, dst.length, src, 0, length);
  }

  static byte[] unzstd(byte[] src, int offset, int length, int max, String what)
      throws ArchiveException {
    try {
      long size = Zstd.getFrameContentSize(src, offset, length);
      if (size > max) {
        throw new ArchiveException.Corrupt(what + " claims " + size + " bytes uncompressed, more"
            + " than restic ever writes (" + max + ").");
      }
      if (size >= 0) {
        byte[] out = new byte[(int) size];
        long n = DECOMPRESS.get().decompressByteArray(out, 0, out.length, src, offset, length);
        if (n != size) {
          throw new ArchiveException.Corrupt(what + " holds " + n + " bytes, not " + size + ".");
        }
        return out;
      }
      // restic's frames state their size; one that does not is decompressed in steps.
      try (var in = new com.github.luben.zstd.ZstdInputStream(
          new java.io.ByteArrayInputStream(src, offset, length))) {
        byte[] out = in.readNBytes(max + 1);
        if (out.length > max) {
          throw new ArchiveException.Corrupt(what + " is larger than restic ever writes.");
        }
        return out;
      }
    } catch (ZstdException | java.io.IOException e) {
      if (e instanceof ArchiveException a) {
        throw a;
      }
      throw new ArchiveException.Corrupt(what + " is not valid zstd: " + e.getMessage(), e);
    }
  }
}

package io.haven.archive;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/** How an inner part archive is compressed, and the member-name suffix that says so. */
public enum Compression {
  /** Haven's default: fast on a Pi, and both cores help. */
  ZSTD(".tar.zst"),
  /** What Home Assistant reads and writes (level 6, as the Supervisor uses). */
  GZIP(".tar.gz"),
  NONE(".tar");

  /** zstd level 1: near gzip's ratio on this data at many times its speed. */
  static final int ZSTD_LEVEL = 1;

  static final int GZIP_LEVEL = 6;
  private static final int GZIP_BUFFER = 64 * 1024;

  private final String suffix;

  Compression(String suffix) {
    this.suffix = suffix;
  }

  public String suffix() {
    return suffix;
  }

  /** Parses a command-line or config name: zstd, gzip or none. */
  public static Compression parse(String name) {
    for (Compression c : values()) {
      if (c.name().equalsIgnoreCase(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown compression '" + name + "': use zstd, gzip or none");
  }

  /** The compression a member name's suffix names, if any. */
  static java.util.Optional<Compression> ofMemberName(String name) {
    // Longest suffix first: ".tar" is a suffix of none of the others, but check it last anyway.
    for (Compression c : new Compression[] {ZSTD, GZIP, NONE}) {
      if (name.endsWith(c.suffix)) {
        return java.util.Optional.of(c);
      }
    }
    return java.util.Optional.empty();
  }

  /** Wraps {@code out} so that bytes written are compressed; closing finishes and closes it. */
  OutputStream compress(OutputStream out, int workers) throws IOException {
    switch (this) {
      case ZSTD:
        var zstd = new ZstdOutputStreamNoFinalizer(out, ZSTD_LEVEL);
        if (workers > 1) {
          zstd.setWorkers(workers);
        }
        return zstd;
      case GZIP:
        if (workers > 1) {
          return Gzip.parallelOutput(out, workers);
        }
        return new GZIPOutputStream(out, GZIP_BUFFER) {
          {
            def.setLevel(GZIP_LEVEL);
          }
        };
      default:
        return out;
    }
  }

  /**
   * Which compression a plaintext part starts with, by its magic bytes: gzip {@code 1f 8b}, zstd
   * {@code 28 b5 2f fd}, else a plain tar.
   */
  static Compression sniff(byte[] head, int length) {
    if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (length >= 4
        && (head[0] & 0xff) == 0x28
        && (head[1] & 0xff) == 0xb5
        && (head[2] & 0xff) == 0x2f
        && (head[3] & 0xff) == 0xfd) {
      return ZSTD;
    }
    return NONE;
  }

  /** Wraps {@code in} so that reads give the decompressed bytes; {@code what} names the part. */
  InputStream decompress(InputStream in, String what) throws IOException {
    switch (this) {
      case ZSTD:
        return new ZstdInputStreamNoFinalizer(in);
      case GZIP:
        return Gzip.tolerantInput(in, what);
      default:
        return in;
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

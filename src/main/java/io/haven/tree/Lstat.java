package io.haven.tree;

import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * An entry's mode, owner, size and modification time, its link not followed, by one
 * {@code statx(2)} bound through JNA's direct mapping. Java's {@code "unix:..."} attributes make
 * the same system call, then parse the attribute names and fill a map for every file: on a backup
 * of 100,000 small files that was the walk's largest cost, and its largest compilation. Where libc
 * cannot be reached, or the call fails (Java's way then says why), or a name is not ASCII
 * ({@link CPath}), {@link #of} answers null and the caller asks Java.
 */
final class Lstat {
  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  // STATX_TYPE | STATX_MODE | STATX_UID | STATX_GID | STATX_MTIME | STATX_SIZE
  private static final int WANTED = 0x1 | 0x2 | 0x8 | 0x10 | 0x40 | 0x200;
  /** struct statx is the same 256 bytes on every architecture, 32-bit ARM included. */
  private static final int STATX_SIZE = 256;

  private static final class LibC {
    static {
      Native.register(LibC.class, "c");
    }

    private LibC() {}

    static native int statx(int dirfd, ByteBuffer path, int flags, int mask, ByteBuffer statx);
  }

  private static volatile boolean unavailable;
  /** Read in place: a direct buffer, so no call into native code per field. */
  private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(
      () -> ByteBuffer.allocateDirect(STATX_SIZE).order(ByteOrder.nativeOrder()));

  private Lstat() {}

  /** The attributes of {@code p} itself, or null when Java's own way must answer. */
  static TreeWalk.Attributes of(Path p) {
    if (unavailable) {
      return null;
    }
    ByteBuffer path = CPath.of(p);
    if (path == null) {
      return null;
    }
    ByteBuffer m = BUFFERS.get();
    try {
      if (LibC.statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, WANTED, m) != 0) {
        return null;
      }
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      unavailable = true;
      return null;
    }
    if ((m.getInt(0) & WANTED) != WANTED) {
      return null; // a file system that could not tell all of them
    }
    // Offsets of struct statx (linux/stat.h): stx_uid 20, stx_gid 24, stx_mode 28 (16 bits),
    // stx_size 40, stx_mtime 112 (tv_sec, 64 bits; tv_nsec 120, 32 bits).
    return new TreeWalk.Attributes(m.getShort(28) & 0xffff, m.getInt(20), m.getInt(24),
        m.getLong(40), time(m.getLong(112), m.getInt(120)));
  }

  // As Java's own lstat makes it, so that both ways give equal times.
  private static FileTime time(long seconds, int nanos) {
    if (nanos == 0) {
      return FileTime.from(seconds, TimeUnit.SECONDS);
    }
    try {
      return FileTime.from(Math.addExact(nanos, Math.multiplyExact(seconds, 1_000_000_000L)),
          TimeUnit.NANOSECONDS);
    } catch (ArithmeticException e) {
      return FileTime.from(seconds * 1_000_000L + nanos / 1_000, TimeUnit.MICROSECONDS);
    }
  }
}

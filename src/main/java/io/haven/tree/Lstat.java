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
 * of 100,000 small files that was the walk's largest cost, and its largest compilation. The walk
 * asks by name inside a directory it opened ({@link #at}), so the kernel looks up one name instead
 * of the whole path, as tar does. Where libc cannot be reached, or the call fails (Java's way then
 * says why), or a name is not ASCII ({@link CPath}), the answer is null and the caller asks Java.
 */
final class Lstat {
  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final int O_RDONLY = 0;
  /** The same bit on x86, ARM and AArch64 (not on Alpha, SPARC or PA-RISC). */
  private static final int O_CLOEXEC = 02000000;
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

    static native int open(ByteBuffer path, int flags);

    static native int close(int fd);
  }

  private static volatile boolean unavailable;
  /** Read in place: a direct buffer, so no call into native code per field. */
  private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(
      () -> ByteBuffer.allocateDirect(STATX_SIZE).order(ByteOrder.nativeOrder()));

  private Lstat() {}

  /** The attributes of {@code p} itself, or null when Java's own way must answer. */
  static TreeWalk.Attributes of(Path p) {
    return unavailable ? null : statx(AT_FDCWD, CPath.of(p.toString()));
  }

  /**
   * The attributes of the entry {@code name} of the directory {@link #openDirectory} gave
   * {@code dirfd} for, or null when Java's own way must answer.
   */
  static TreeWalk.Attributes at(int dirfd, String name) {
    return unavailable || dirfd < 0 ? null : statx(dirfd, CPath.of(name));
  }

  /** A descriptor of {@code dir} for {@link #at}, or -1 (then {@link #at} answers null). */
  static int openDirectory(Path dir) {
    ByteBuffer path = unavailable ? null : CPath.of(dir.toString());
    if (path == null) {
      return -1;
    }
    try {
      return LibC.open(path, O_RDONLY | O_CLOEXEC);
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      unavailable = true;
      return -1;
    }
  }

  static void closeDirectory(int dirfd) {
    if (dirfd >= 0) {
      LibC.close(dirfd);
    }
  }

  private static TreeWalk.Attributes statx(int dirfd, ByteBuffer path) {
    if (path == null) {
      return null;
    }
    ByteBuffer m = BUFFERS.get();
    try {
      if (LibC.statx(dirfd, path, AT_SYMLINK_NOFOLLOW, WANTED, m) != 0) {
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

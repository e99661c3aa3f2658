package io.haven.tree;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * Sets a restored entry's modification (and access) time with one {@code utimensat(2)} by name;
 * a symbolic link gets its own time, not its target's. Java's own way opens the file, calls futimens and closes it:
 * three calls instead of one, and on SD cards and eMMC an open is the dear part of restoring tens
 * of thousands of small files. Where libc cannot be reached, or for a name that is not ASCII
 * ({@link CPath}), it falls back to Java's way.
 */
final class FileTimes {
  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;

  /**
   * libc's utimensat bound by JNA's direct mapping: a native method, not a proxy that converts
   * its arguments by reflection on each of a restore's tens of thousands of calls.
   */
  private static final class LibC {
    static {
      Native.register(LibC.class, "c");
    }

    private LibC() {}

    static native int utimensat(int dirfd, ByteBuffer path, ByteBuffer times, int flags);
  }

  private static volatile boolean unavailable;
  /** Filled in place: a direct buffer, so no call into native code per field. */
  private static final ThreadLocal<ByteBuffer> TIMESPECS = ThreadLocal.withInitial(
      () -> ByteBuffer.allocateDirect(4 * NativeLong.SIZE).order(ByteOrder.nativeOrder()));

  private FileTimes() {}

  /** Sets {@code p}'s access and modification times to {@code time}. */
  static void set(Path p, FileTime time) throws IOException {
    ByteBuffer path = unavailable ? null : CPath.of(p.toString());
    if (path != null) {
      try {
        if (LibC.utimensat(AT_FDCWD, path, timespecs(time), AT_SYMLINK_NOFOLLOW) == 0) {
          return;
        }
        // Failed: Java's way below says why, with the file's name.
      } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
        unavailable = true;
      }
    }
    Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setTimes(time, time, null);
  }

  // struct timespec[2]: time_t and long are both a C long on Linux, 32-bit ARM included.
  private static ByteBuffer timespecs(FileTime time) {
    long nanos = time.to(TimeUnit.NANOSECONDS);
    long seconds = Math.floorDiv(nanos, 1_000_000_000L);
    long rest = Math.floorMod(nanos, 1_000_000_000L);
    ByteBuffer b = TIMESPECS.get();
    for (int i = 0; i < 2; i++) {
      put(b, 2 * i, seconds);
      put(b, 2 * i + 1, rest);
    }
    return b;
  }

  private static void put(ByteBuffer b, int index, long value) {
    if (NativeLong.SIZE == 8) {
      b.putLong(8 * index, value);
    } else {
      b.putInt(4 * index, (int) value);
    }
  }
}

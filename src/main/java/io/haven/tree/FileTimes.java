package io.haven.tree;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
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
 * of thousands of small files. Where libc cannot be reached it falls back to Java's way.
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

    static native int utimensat(int dirfd, String path, Pointer times, int flags);
  }

  private static volatile boolean unavailable;
  private static final ThreadLocal<Memory> TIMESPECS =
      ThreadLocal.withInitial(() -> new Memory(4L * NativeLong.SIZE));

  private FileTimes() {}

  /** Sets {@code p}'s access and modification times to {@code time}. */
  static void set(Path p, FileTime time) throws IOException {
    if (!unavailable) {
      try {
        if (LibC.utimensat(AT_FDCWD, p.toString(), timespecs(time), AT_SYMLINK_NOFOLLOW) == 0) {
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
  private static Memory timespecs(FileTime time) {
    long nanos = time.to(TimeUnit.NANOSECONDS);
    long seconds = Math.floorDiv(nanos, 1_000_000_000L);
    long rest = Math.floorMod(nanos, 1_000_000_000L);
    Memory m = TIMESPECS.get();
    for (int i = 0; i < 2; i++) {
      m.setNativeLong((2L * i) * NativeLong.SIZE, new NativeLong(seconds));
      m.setNativeLong((2L * i + 1) * NativeLong.SIZE, new NativeLong(rest));
    }
    return m;
  }
}

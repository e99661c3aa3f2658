package io.haven.archive;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Path;

/**
 * Tells the kernel that a file's cached pages will not be read again soon
 * ({@code posix_fadvise(DONTNEED)}), so that writing a backup of several GB does not push Home
 * Assistant's working set out of the page cache of a 1-4 GB device. Only clean pages go: call it
 * after the file was forced to disk. Advice only: where libc cannot be reached it does nothing.
 */
final class PageCache {
  private static final int O_RDONLY = 0;
  private static final int POSIX_FADV_DONTNEED = 4;

  interface LibC extends Library {
    int open(String path, int flags);

    // The 64-bit-offset name exists on every glibc, so 32-bit armhf gets the right offsets too.
    int posix_fadvise64(int fd, long offset, long length, int advice);

    int close(int fd);
  }

  private static volatile LibC libc;

  private PageCache() {}

  /** Drops {@code file}'s clean cached pages; returns whether the kernel took the advice. */
  static boolean drop(Path file) {
    try {
      LibC c = libc();
      int fd = c.open(file.toString(), O_RDONLY);
      if (fd < 0) {
        return false;
      }
      try {
        return c.posix_fadvise64(fd, 0, 0, POSIX_FADV_DONTNEED) == 0;
      } finally {
        c.close(fd);
      }
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      return false; // no JNA native for this platform: the cache is merely less tidy
    }
  }

  private static LibC libc() {
    LibC c = libc;
    if (c == null) {
      c = Native.load("c", LibC.class);
      libc = c;
    }
    return c;
  }
}

package io.haven.restore;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Getting restored files onto the disk before the swap makes them the only copy. */
final class Durability {
  private Durability() {}

  interface LibC extends Library {
    int syncfs(int fd);

    int open(String path, int flags);

    int close(int fd);

    void sync();
  }

  private static final int O_RDONLY = 0;

  /** Flushes the whole file system that holds {@code path} (syncfs), or all of them (sync). */
  static void syncFileSystem(Path path) {
    try {
      LibC libc = Native.load("c", LibC.class);
      int fd = libc.open(path.toString(), O_RDONLY);
      if (fd >= 0) {
        try {
          if (libc.syncfs(fd) == 0) {
            return;
          }
        } finally {
          libc.close(fd);
        }
      }
      libc.sync();
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      // No libc through JNA (an exotic platform): each rename below still syncs its directory.
    }
  }

  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}

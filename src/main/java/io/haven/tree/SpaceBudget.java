package io.haven.tree;

import io.haven.failure.NotEnoughSpace;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The free space of the file system being written, spent as files are declared. A file whose
 * declared size cannot fit is refused before any of it is written, so an archive that claims a
 * terabyte (or decompresses to far more than it stores) stops at once with the numbers, instead
 * of filling the disk. The file system is asked again only when the budget runs short, so other
 * writers and freed space are seen without a query per file.
 */
final class SpaceBudget {
  private final Path dir;
  private final FileStore store;
  private long left;

  SpaceBudget(Path dir) throws IOException {
    this.dir = dir;
    this.store = Files.getFileStore(dir);
    this.left = store.getUsableSpace();
  }

  /** Spends {@code bytes} for {@code what}, or fails with {@link NotEnoughSpace}. */
  void reserve(long bytes, String what) throws IOException {
    if (bytes > left) {
      left = store.getUsableSpace();
    }
    if (bytes > left) {
      throw new NotEnoughSpace(what, dir.toString(), bytes, left,
          "Nothing was changed. Free space, or check that the backup is the one you meant.");
    }
    left -= bytes;
  }
}

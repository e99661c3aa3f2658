package io.haven.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A backup file being written under a temporary name that {@link BackupStore#list()} never shows.
 * {@link #commit()} renames it to its final name and syncs the directory; closing without a
 * commit deletes it. After a crash, {@link BackupStore#removeLeftovers()} deletes what is left.
 */
public final class PendingArchive implements AutoCloseable {
  /** A backup is created readable by its owner only, whatever the umask. */
  static final Set<PosixFilePermission> OWNER_ONLY_MODE = PosixFilePermissions.fromString(
      "rw-------");
  static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(OWNER_ONLY_MODE);

  private final Path temp;
  private final Path target;
  private boolean committed;

  PendingArchive(Path temp, Path target) {
    this.temp = temp;
    this.target = target;
  }

  /** Where to write; it does not exist yet. */
  public Path path() {
    return temp;
  }

  public Path target() {
    return target;
  }

  /**
   * Makes the file visible under its final name. The writer must have forced the file's content
   * to disk; this renames without replacing and forces the directory, so the name survives a crash.
   */
  public Path commit() throws IOException {
    if (Files.exists(target)) {
      throw new StoreException.AlreadyExists("a backup file named '" + target.getFileName()
          + "' already exists; choose another --filename");
    }
    // Whoever wrote it, the backup is named only once it is its owner's alone.
    Files.setPosixFilePermissions(temp, OWNER_ONLY_MODE);
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      throw new StoreException.AlreadyExists("a backup file named '" + target.getFileName()
          + "' already exists; choose another --filename");
    }
    syncDirectory(target.getParent());
    committed = true;
    return target;
  }

  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  @Override
  public void close() throws IOException {
    if (!committed) {
      Files.deleteIfExists(temp);
    }
  }
}

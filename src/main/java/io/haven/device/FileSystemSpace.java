package io.haven.device;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free, used and total space of the file system that holds a real path. Kept apart from the
 * sysfs reader: this one asks the running kernel (statvfs through NIO), never a root directory.
 */
public final class FileSystemSpace {
  private FileSystemSpace() {}

  /**
   * The space of the file system holding {@code path}.
   *
   * @throws DeviceException.Unreadable when the path does not exist or the kernel refuses
   */
  public static Space of(Path path) throws DeviceException {
    if (!Files.exists(path)) {
      throw new DeviceException.Unreadable(
          "Cannot read the free space of " + path + ": it does not exist. Create it or check the"
              + " configured data root and backup directory.",
          null);
    }
    try {
      FileStore store = Files.getFileStore(path);
      long total = store.getTotalSpace();
      long unallocated = store.getUnallocatedSpace();
      return new Space(total, Math.max(0, total - unallocated), store.getUsableSpace());
    } catch (IOException e) {
      throw new DeviceException.Unreadable(
          "Cannot read the free space of " + path + ": " + e.getMessage()
              + ". Check that the file system is mounted and readable.",
          e);
    }
  }
}

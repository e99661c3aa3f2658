package io.haven.failure;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A folder Haven must write to sits on a read-only file system (a disk mounted read-only, or
 * remounted so after errors): which folder, and what to do. Found wherever a failure is told to
 * the user, so every job, restore and verify says it alike.
 */
public final class ReadOnly extends IOException implements ExpectedFailure {
  private ReadOnly(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code t}, or one of its causes, as a write refused by a read-only file system. */
  public static Optional<ReadOnly> of(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof FileSystemException f && f.getFile() != null
          && String.valueOf(f.getReason()).contains("Read-only file system")) {
        return Optional.of(new ReadOnly("Haven cannot write to " + folder(Path.of(f.getFile()))
            + ": its disk is mounted read-only; nothing was changed. Remount it read-write"
            + " (a disk the system made read-only after errors needs checking first), or choose"
            + " another folder in the configuration, then try again.", t));
      }
    }
    return Optional.empty();
  }

  // Haven's own files there (the job lock, temporary names, records) start with a dot: the
  // user knows the folder, not those.
  private static Path folder(Path file) {
    Path name = file.getFileName();
    return name != null && name.toString().startsWith(".") && file.getParent() != null
        ? file.getParent() : file;
  }

  @Override
  public int exitCode() {
    return ExitCode.READ_ONLY;
  }

  @Override
  public int httpStatus() {
    return 503;
  }
}

package io.haven.backup;

import io.haven.archive.BackupMetadata;
import java.nio.file.Path;
import java.util.List;

/** A finished backup: where it is, what it says, and what did not go quite right. */
public record BackupResult(Path file, BackupMetadata metadata, long size, List<String> warnings) {
  public BackupResult {
    warnings = List.copyOf(warnings);
  }
}

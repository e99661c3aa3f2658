package io.haven.store;

import io.haven.archive.BackupMetadata;
import java.nio.file.Path;
import java.time.Instant;

/** A complete backup in the backup directory: its file, metadata, size and file time. */
public record StoredBackup(Path file, BackupMetadata metadata, long size, Instant modified) {
  public String slug() {
    return metadata.slug();
  }
}

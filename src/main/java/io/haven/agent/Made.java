package io.haven.agent;

import io.haven.backup.BackupResult;
import java.util.List;

/** A new backup and the outcome of each copy it asked for, in the order asked. */
public record Made(BackupResult backup, List<OffsiteBackups.CopyOutcome> copies) {
  public Made {
    copies = List.copyOf(copies);
  }

  public String slug() {
    return backup.metadata().slug();
  }
}

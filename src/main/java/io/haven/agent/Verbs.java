package io.haven.agent;

import io.haven.restore.PreflightReport;
import io.haven.restore.RestoreResult;
import io.haven.store.BackupStore;
import io.haven.store.StoredBackup;
import io.haven.tree.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The verbs of {@code haven backups} that change the backup directory or the data root, worked by
 * the {@link Service} in this process or by a running agent's over its socket. Both give the same
 * results and throw the same expected failures with the same messages, so a caller cannot tell
 * which did the work.
 */
public interface Verbs {
  /** The backup directory the backups live in. */
  Path backupDir();

  /** Complete backups, newest first, and the files that are not readable backups. */
  BackupStore.Listing list() throws IOException;

  /** The backup with this slug; fails NotFound. */
  StoredBackup info(String slug) throws IOException;

  /** Makes a backup and its copies in one job; fails Busy while another job runs. */
  Made create(NewBackup request, Progress progress) throws IOException;

  /**
   * Restores a backup after its migration preflight, whose report goes to {@code onPreflight}
   * once; the data root ends as before or as restored, never in between.
   */
  RestoreResult restore(RestoreBackup request, Progress progress,
      Consumer<PreflightReport> onPreflight) throws IOException;

  /**
   * Copies a backup to each location, and verifies each copy; one location's failure is its
   * outcome, not the others'.
   */
  List<OffsiteBackups.CopyOutcome> copy(String slug, List<Place.Named> to) throws IOException;

  /** Deletes a backup from {@code places}; none named: from every place known to hold it. */
  void remove(String slug, List<Place> places) throws IOException;

  /** Cleans what an interrupted job left, then lists again. */
  BackupStore.Listing reload() throws IOException;
}

package io.haven.agent;

import io.haven.backup.BackupRequest;
import io.haven.backup.BackupResult;
import io.haven.restore.PreflightReport;
import io.haven.restore.RestoreRequest;
import io.haven.restore.RestoreResult;
import io.haven.store.BackupStore;
import io.haven.store.StoredBackup;
import io.haven.tree.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The verbs of {@code haven backups}, worked either in this process ({@link Backups}) or by a
 * running agent over its socket. Both give the same results and throw the same expected failures
 * with the same messages, so a caller cannot tell which did the work.
 */
public interface BackupVerbs {
  /** The backup directory the backups live in. */
  Path backupDir();

  /** Complete backups, newest first, and the files that are not readable backups. */
  BackupStore.Listing list() throws IOException;

  /** The backup with this slug; fails NotFound. */
  StoredBackup info(String slug) throws IOException;

  /** Makes a backup; fails Busy while another backup or restore runs. */
  BackupResult create(BackupRequest request, Progress progress) throws IOException;

  /**
   * Restores a backup after its migration preflight, whose report goes to {@code onPreflight}
   * where it is made in this process; the data root ends as before or as restored, never in
   * between.
   */
  RestoreResult restore(String slug, RestoreRequest request, Progress progress,
      Consumer<PreflightReport> onPreflight) throws IOException;

  /** Restores without looking at the preflight's report (it still refuses on blocking ones). */
  default RestoreResult restore(String slug, RestoreRequest request, Progress progress)
      throws IOException {
    return restore(slug, request, progress, report -> { });
  }

  /** Deletes a backup. */
  void remove(String slug) throws IOException;

  /** Cleans what an interrupted job left, then lists again. */
  BackupStore.Listing reload() throws IOException;
}

package io.haven.backup;

import io.haven.archive.Part;
import java.util.List;
import java.util.Objects;

/**
 * What a backup would read, found by walking metadata only (no file is opened), and how to make
 * it smaller. Byte counts are file bytes after Home Assistant's and the user's excludes, the same a
 * backup reads.
 *
 * @param parts per part: files and bytes, in backup order
 * @param databaseBytes the recorder database with its WAL; 0 when absent or excluded
 * @param keepDays {@code recorder: purge_keep_days} (10 when the configuration does not set it)
 * @param largestFiles the largest files, largest first, paths relative to the data root
 * @param oldBackups backups already in the backup dir: they are never inside a backup
 * @param backupDirFree usable bytes in the backup dir's file system; -1 when unknown
 * @param spaceNeeded what the backup needs there (the files and a margin)
 * @param suggestions plain advice, one sentence each; empty when nothing stands out
 * @param leftOut the user's exclude rules in force and what they leave out
 */
public record BackupEstimate(List<PartSize> parts, long databaseBytes, int keepDays,
    boolean keepDaysSet, List<FileSize> largestFiles, OldBackups oldBackups, long backupDirFree,
    long spaceNeeded, List<String> suggestions, LeftOut leftOut) {

  /** One part's share. */
  public record PartSize(Part part, long files, long bytes) {
    public PartSize {
      Objects.requireNonNull(part, "part");
    }
  }

  /** A large file, {@code path} relative to the data root. */
  public record FileSize(String path, long bytes) {}

  /** The {@code *.tar} files in the backup dir. */
  public record OldBackups(int count, long bytes) {}

  /** The user's own exclude rules and the files and bytes they keep out of the backup. */
  public record LeftOut(List<String> rules, long files, long bytes) {
    public static final LeftOut NOTHING = new LeftOut(List.of(), 0, 0);

    public LeftOut {
      rules = List.copyOf(rules);
    }
  }

  public BackupEstimate {
    parts = List.copyOf(parts);
    largestFiles = List.copyOf(largestFiles);
    suggestions = List.copyOf(suggestions);
    leftOut = leftOut == null ? LeftOut.NOTHING : leftOut;
  }

  public long totalBytes() {
    return parts.stream().mapToLong(PartSize::bytes).sum();
  }

  public long totalFiles() {
    return parts.stream().mapToLong(PartSize::files).sum();
  }

  /** Whether the backup dir has the room the backup needs (unknown free space counts as room). */
  public boolean hasRoom() {
    return backupDirFree < 0 || backupDirFree >= spaceNeeded;
  }
}

package io.haven.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The last verify outcome of each backup in the backup directory, so retention can tell a backup
 * that read back good from one that did not ({@link Retention.Verified}). Kept as
 * {@value #FILE} in the backup directory, per file name, with the file's size and modification
 * time when it was checked: an outcome counts only while the file still has both, so a backup
 * replaced or rewritten since is unknown again. Written atomically ({@link JsonFiles}).
 */
public final class VerifyRecords {
  static final String FILE = ".haven-verified.json";

  private final Path file;

  public VerifyRecords(Path backupDir) {
    this.file = backupDir.resolve(FILE);
  }

  /** Records that a full read of {@code backup} at {@code when} found it good or not. */
  public synchronized void record(StoredBackup backup, boolean good, Instant when)
      throws IOException {
    ObjectNode all = JsonFiles.read(file);
    all.putObject(name(backup)).put("size", backup.size())
        .put("modified", backup.modified().toString()).put("good", good)
        .put("checked", when.toString());
    JsonFiles.write(file, all);
  }

  /** What the last verify of this very file found; UNKNOWN when it was never checked as it is. */
  public synchronized Retention.Verified of(StoredBackup backup) {
    JsonNode r = JsonFiles.read(file).path(name(backup));
    if (!r.isObject() || r.path("size").asLong(-1) != backup.size()
        || !r.path("modified").asText("").equals(backup.modified().toString())) {
      return Retention.Verified.UNKNOWN;
    }
    return r.path("good").asBoolean(false) ? Retention.Verified.GOOD : Retention.Verified.BAD;
  }

  /** Forgets a backup that was deleted. */
  public synchronized void forget(StoredBackup backup) throws IOException {
    ObjectNode all = JsonFiles.read(file);
    if (all.remove(name(backup)) != null) {
      JsonFiles.write(file, all);
    }
  }

  private static String name(StoredBackup backup) {
    return backup.file().getFileName().toString();
  }
}

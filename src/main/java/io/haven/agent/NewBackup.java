package io.haven.agent;

import io.haven.archive.Compression;
import io.haven.archive.Part;
import io.haven.archive.SecureTar;
import io.haven.archive.Secret;
import java.util.List;
import java.util.Optional;

/**
 * A new backup as every front end asks for it. What the caller did not choose stays empty and
 * the service fills it in from the config, the same way for all of them.
 *
 * @param parts empty for a full backup
 * @param compression empty: {@code compression:} from the config (gzip with {@code compat})
 * @param encryption empty: SecureTar v3 (v2 with {@code compat})
 * @param compat write what Home Assistant itself restores when nothing else is chosen
 * @param copyTo the locations to copy the backup to, each copy read back and compared, inside
 *     the same job
 * @param excludes globs of files and folders to leave out, beside the config's {@code excludes:}
 */
public record NewBackup(String name, List<Part> parts, Optional<Secret.Password> password,
    Optional<Compression> compression, Optional<SecureTar.Version> encryption, boolean compat,
    boolean excludeDatabase, Optional<String> fileName, List<Place.Named> copyTo,
    List<String> excludes) {

  public NewBackup {
    parts = List.copyOf(parts);
    copyTo = List.copyOf(copyTo);
    excludes = List.copyOf(excludes);
  }

  /** A full backup with everything from the config. */
  public static NewBackup full() {
    return new NewBackup("", List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
        false, false, Optional.empty(), List.of(), List.of());
  }

  public boolean isFull() {
    return parts.isEmpty();
  }

  /** The Supervisor's job name for this backup. */
  String jobName() {
    return isFull() ? Service.FULL_BACKUP : Service.PARTIAL_BACKUP;
  }
}

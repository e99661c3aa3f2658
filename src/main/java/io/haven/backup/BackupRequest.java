package io.haven.backup;

import io.haven.archive.Compression;
import io.haven.archive.Part;
import io.haven.archive.SecureTar;
import io.haven.archive.Secret;
import io.haven.store.FileNames;
import io.haven.tree.Excludes;
import java.util.List;
import java.util.Optional;

/**
 * What a user asked to back up, and how.
 *
 * @param parts empty for a full backup (everything in the data root), else the chosen parts
 * @param encryption the SecureTar version used when a password is given
 * @param fileName the file name in the backup directory; empty means {@code <slug>.tar}
 * @param excludes the user's globs of files and folders to leave out, relative to the data root
 *     ({@code media/frigate/**}, {@code *.log}), beside Home Assistant's own excludes
 */
public record BackupRequest(
    String name,
    List<Part> parts,
    Optional<Secret.Password> password,
    Compression compression,
    SecureTar.Version encryption,
    boolean excludeDatabase,
    Optional<String> fileName,
    List<String> excludes) {

  /** A request without excludes of the user's own. */
  public BackupRequest(String name, List<Part> parts, Optional<Secret.Password> password,
      Compression compression, SecureTar.Version encryption, boolean excludeDatabase,
      Optional<String> fileName) {
    this(name, parts, password, compression, encryption, excludeDatabase, fileName, List.of());
  }

  public BackupRequest {
    parts = List.copyOf(parts);
    excludes = List.copyOf(excludes);
    excludes.forEach(Excludes::checkUserGlob);
    fileName.flatMap(FileNames::problem).ifPresent(p -> {
      throw new IllegalArgumentException(p);
    });
    if (encryption == SecureTar.Version.V1) {
      throw new IllegalArgumentException("SecureTar v1 is read, never written: use v2 or v3");
    }
    if (parts.stream().distinct().count() != parts.size()) {
      throw new IllegalArgumentException("a part is named twice: " + parts);
    }
  }

  public boolean isFull() {
    return parts.isEmpty();
  }

  /** This request leaving out {@code globs} of the user's own instead. */
  public BackupRequest withExcludes(List<String> globs) {
    return new BackupRequest(name, parts, password, compression, encryption, excludeDatabase,
        fileName, globs);
  }
}

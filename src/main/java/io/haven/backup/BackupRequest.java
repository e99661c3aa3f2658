package io.haven.backup;

import io.haven.archive.Compression;
import io.haven.archive.Part;
import io.haven.archive.SecureTar;
import io.haven.archive.Secret;
import io.haven.store.FileNames;
import java.util.List;
import java.util.Optional;

/**
 * What a user asked to back up, and how.
 *
 * @param parts empty for a full backup (everything in the data root), else the chosen parts
 * @param encryption the SecureTar version used when a password is given
 * @param fileName the file name in the backup directory; empty means {@code <slug>.tar}
 */
public record BackupRequest(
    String name,
    List<Part> parts,
    Optional<Secret.Password> password,
    Compression compression,
    SecureTar.Version encryption,
    boolean excludeDatabase,
    Optional<String> fileName) {

  public BackupRequest {
    parts = List.copyOf(parts);
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
}

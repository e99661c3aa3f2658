package io.haven.archive;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A backup whose parts can be streamed: an archive file, or a snapshot in a repository. What a
 * restore needs, and nothing about where the bytes lie.
 */
public interface BackupSource {
  /** backup.json, when the backup has one. */
  Optional<BackupMetadata> metadata();

  /** The parts the backup holds, in backup.json's order. */
  List<Part> parts() throws ArchiveException;

  /** A lower bound of the bytes the part's files take, where its facts do not say. */
  long storedSize(Part part) throws IOException;

  /** Whether reading the part needs a password. */
  boolean isEncrypted(Part part) throws IOException;

  /**
   * The part's inner tar, as a stream of entries. A source that checks what it reads (SecureTar
   * v3, a repository's MACs) fails the stream's next read on damage, before its end.
   */
  PartInput openPart(Part part, Optional<Secret> secret) throws IOException;

  /** "backup 'a1b2c3d4'": for messages. */
  String describe();
}

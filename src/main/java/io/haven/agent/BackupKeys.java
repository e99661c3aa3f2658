package io.haven.agent;

import io.haven.archive.ArchiveException;
import io.haven.archive.BackupArchive;
import io.haven.archive.BackupSource;
import io.haven.archive.Part;
import io.haven.archive.PartInput;
import io.haven.archive.Secret;
import io.haven.config.Config;
import io.haven.key.BackupKey;
import io.haven.key.KeyFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The backup encryption key as the verbs use it: made on first need (the agent's first start, or
 * the first verb that needs one), renewed with the old ones kept, and tried on a protected backup
 * nobody gave a password for, so a backup made with any of Haven's keys opens by itself. The file
 * lies beside the locations file, outside the backup directory on purpose: a copy of the backups
 * never carries the key that opens them.
 */
public final class BackupKeys {
  private final KeyFile file;
  private final Clock clock;

  public BackupKeys(Config config, Clock clock) {
    this.file = new KeyFile(config.locationsFile().toAbsolutePath().resolveSibling(KeyFile.NAME));
    this.clock = clock;
  }

  /** Where the keys are kept. */
  public Path file() {
    return file.file();
  }

  /** The key new encrypted backups and copies use, made now when there is none yet. */
  public BackupKey current() throws IOException {
    return file.ensure(clock.instant());
  }

  /** {@link #current()} as the SecureTar password it is. */
  public Secret.Password password() throws IOException {
    return new Secret.Password(current().value());
  }

  /** Every key, the current one first (made now when there is none yet). */
  public List<BackupKey> all() throws IOException {
    current();
    return file.all();
  }

  /** A new current key; the old ones are kept for the backups they opened. */
  public BackupKey renew() throws IOException {
    current();
    return file.renew(clock.instant());
  }

  /**
   * Keeps {@code key} (as typed, e.g. Home Assistant's own) for opening backups; with
   * {@code current} new backups use it too. False when it was kept already.
   */
  public boolean add(String key, boolean current) throws IOException {
    if (!BackupKey.looksLikeKey(key)) {
      throw new BadRequest("That is not a backup key: a key is seven groups of four letters"
          + " A-Z and digits 0-9 joined with '-', as in the emergency kit.");
    }
    current();
    return file.add(new BackupKey(key.strip(), clock.instant()), current);
  }

  /**
   * What opens {@code archive}: {@code given} when there is one; nothing when the archive is not
   * protected; else the first kept key that opens its first protected part (checked by opening
   * that part, which for SecureTar v3 costs one key derivation a key). Empty when no key fits,
   * so the caller's own "needs a password" message follows.
   */
  public Optional<Secret> opening(BackupSource archive, Optional<Secret> given)
      throws IOException {
    if (given.isPresent() || !file.current().isPresent()) {
      return given;
    }
    Optional<Part> locked = firstEncrypted(archive);
    if (locked.isEmpty()) {
      return given;
    }
    for (BackupKey key : file.all()) {
      Optional<Secret> secret = Optional.of(new Secret.Password(key.value()));
      try (PartInput in = archive.openPart(locked.get(), secret)) {
        return secret;
      } catch (ArchiveException.WrongPassword e) {
        // not this key: try the next, older one
      } catch (ArchiveException.Corrupt e) {
        return secret; // the key passed the password check; the reader reports the damage
      }
    }
    return given;
  }

  /** {@link #opening(BackupSource, Optional)} for the archive in {@code file}. */
  public Optional<Secret> opening(Path backup, Optional<Secret> given) throws IOException {
    if (given.isPresent()) {
      return given;
    }
    try (BackupArchive archive = BackupArchive.open(backup)) {
      return opening(archive, given);
    }
  }

  private static Optional<Part> firstEncrypted(BackupSource archive) throws IOException {
    for (Part part : archive.parts()) {
      if (archive.isEncrypted(part)) {
        return Optional.of(part);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "BackupKeys[" + file.file() + "]";
  }
}

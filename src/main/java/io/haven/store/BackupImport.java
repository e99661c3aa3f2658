package io.haven.store;

import io.haven.archive.ArchiveException;
import io.haven.archive.BackupArchive;
import io.haven.archive.BackupMetadata;
import io.haven.archive.Part;
import io.haven.archive.Secret;
import io.haven.archive.Slug;
import io.haven.archive.Verifier;
import io.haven.tree.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;

/**
 * Takes a backup from outside (a file, an upload) into the backup directory: the bytes are
 * copied under a temporary name, the copy is opened and checked, and only an acceptable backup
 * is renamed to {@code <slug>.tar}. Anything else is deleted and refused with the reason.
 */
final class BackupImport {
  private static final int COPY_BUFFER = 1024 * 1024;

  private final BackupStore store;

  BackupImport(BackupStore store) {
    this.store = store;
  }

  StoredBackup fromStream(InputStream in, String what, Optional<Secret> secret,
      Optional<String> fileName, Progress progress) throws IOException {
    if (fileName.isPresent()) {
      FileNames.check(fileName.get()); // before the bytes are copied, not after
    }
    store.createDirectory();
    Path temp = store.dir().resolve(BackupStore.TEMP_PREFIX + "import-"
        + java.util.UUID.randomUUID() + ".tar");
    try {
      copy(in, temp, progress);
      BackupMetadata meta = check(temp, what, secret);
      try (PendingArchive pending = store.begin(fileName.orElse(meta.slug() + ".tar"),
          meta.slug())) {
        Files.move(temp, pending.path());
        pending.commit();
      } catch (StoreException.AlreadyExists e) {
        throw new StoreException.AlreadyExists("Backup '" + meta.slug() + "' (" + what
            + ") is already in " + store.dir() + "; nothing was imported. To replace it, remove"
            + " it first: haven backups remove " + meta.slug());
      }
      return store.get(meta.slug());
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  // The copy is forced to disk before it is named as a backup.
  private static void copy(InputStream in, Path temp, Progress progress) throws IOException {
    try (FileChannel ch = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE), PendingArchive.OWNER_ONLY)) {
      OutputStream out = Channels.newOutputStream(ch);
      byte[] buffer = new byte[COPY_BUFFER];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        progress.advance(n);
      }
      ch.force(true);
    }
  }

  /**
   * Opens the copy: it must have backup.json and every part it names. With a secret (or when
   * unprotected) every part is read to its end; a protected backup without one is checked only
   * as far as its outer layout.
   */
  private static BackupMetadata check(Path temp, String what, Optional<Secret> secret)
      throws IOException {
    try (BackupArchive archive = BackupArchive.open(temp, what)) {
      if (archive.metadata().isEmpty()) {
        throw new StoreException.Rejected(what + " is not a Home Assistant backup: it has no"
            + " backup.json (or snapshot.json). Nothing was imported.", null);
      }
      BackupMetadata meta = archive.metadata().get();
      if (!Slug.isValid(meta.slug())) {
        throw new StoreException.Rejected(what + " has the slug '" + meta.slug() + "', which is"
            + " not Home Assistant's 8 hex digits. Nothing was imported.", null);
      }
      if (secret.isEmpty() && anyEncrypted(archive)) {
        archive.parts();
        return meta;
      }
      Verifier.Report report = Verifier.verify(archive, secret);
      if (!report.intact()) {
        ArchiveException problem = report.firstProblem().get();
        throw new StoreException.Rejected("Cannot import " + what + ": " + problem.getMessage()
            + " Nothing was imported.", problem);
      }
      return meta;
    } catch (ArchiveException.Corrupt | ArchiveException.Unsupported e) {
      throw new StoreException.Rejected("Cannot import " + what + ": " + e.getMessage()
          + " Nothing was imported.", e);
    }
  }

  private static boolean anyEncrypted(BackupArchive archive) throws IOException {
    for (Part p : archive.parts()) {
      if (archive.isEncrypted(p)) {
        return true;
      }
    }
    return false;
  }
}

package io.haven.store;

import io.haven.archive.ArchiveException;
import io.haven.archive.BackupArchive;
import io.haven.archive.BackupMetadata;
import io.haven.archive.Secret;
import io.haven.tree.Progress;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backup directory: {@code <name>.tar} files, each a complete backup. Files being written carry
 * the {@value #TEMP_PREFIX} prefix and are never listed. A listing keeps a summary of each
 * backup's metadata ({@link BackupMetadata#summary}), cached by file size and time, so listing
 * hundreds of backups reads only what changed and holds little whatever their backup.json files
 * hold; {@link #get} reads one backup's whole metadata.
 */
public final class BackupStore {
  /** Temporary names start with this; nothing else in the directory does. */
  public static final String TEMP_PREFIX = ".haven-tmp-";

  // The keys of extra that retention reads (AutomaticBackups); the rest stays in the archive.
  private static final Set<String> LISTED_EXTRA =
      Set.of(AutomaticBackups.WITH_AUTOMATIC_SETTINGS, AutomaticBackups.INSTANCE_ID);

  private final Path dir;
  private final Map<Path, StoredBackup> cache = new ConcurrentHashMap<>();

  /**
   * Creates the backup directory (and any missing parent) for its owner only, 0700 whatever the
   * umask, so nobody else on the device lists or opens the backups; one that exists is left as
   * it is, its archives being 0600 themselves.
   */
  public static Path createDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return dir;
    }
    return Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
  }

  /** This store's directory, created as {@link #createDirectory} does when missing. */
  public Path createDirectory() throws IOException {
    return createDirectory(dir);
  }

  public BackupStore(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  public Path dir() {
    return dir;
  }

  /** The listing: complete backups, newest first, and the files that could not be read. */
  public record Listing(List<StoredBackup> backups, List<String> unreadable) {}

  /** Reads the directory; a file that is not a readable backup is reported, not fatal. */
  public Listing list() throws IOException {
    if (!Files.isDirectory(dir)) {
      return new Listing(List.of(), List.of());
    }
    List<StoredBackup> backups = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.tar")) {
      for (Path file : s) {
        if (file.getFileName().toString().startsWith(".")) {
          continue; // temporary and hidden files
        }
        try {
          read(file).ifPresent(backups::add);
        } catch (IOException e) {
          unreadable.add(file.getFileName() + ": " + e.getMessage());
        }
      }
    }
    cache.keySet().removeIf(p -> !Files.exists(p));
    backups.sort(Comparator.comparing((StoredBackup b) -> b.metadata().date()).reversed());
    return new Listing(backups, unreadable);
  }

  private Optional<StoredBackup> read(Path file) throws IOException {
    BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
    StoredBackup cached = cache.get(file);
    if (cached != null && cached.size() == attrs.size()
        && cached.modified().equals(attrs.lastModifiedTime().toInstant())) {
      return Optional.of(cached);
    }
    StoredBackup b = whole(file, attrs);
    StoredBackup summary = new StoredBackup(file, b.metadata().summary(LISTED_EXTRA), b.size(),
        b.modified());
    cache.put(file, summary);
    return Optional.of(summary);
  }

  private static StoredBackup whole(Path file, BasicFileAttributes attrs) throws IOException {
    try (BackupArchive a = BackupArchive.open(file)) {
      if (a.metadata().isEmpty()) {
        throw new ArchiveException.Corrupt("no backup.json: not a backup");
      }
      return new StoredBackup(file, a.metadata().get(), attrs.size(),
          attrs.lastModifiedTime().toInstant());
    }
  }

  /** The backup with this slug, with its whole metadata. */
  public StoredBackup get(String slug) throws IOException {
    StoredBackup listed = find(slug).orElseThrow(() -> new StoreException.NotFound("No backup '"
        + slug + "' in " + dir + ". Run 'haven backups list' to see the slugs."));
    return whole(listed.file(), Files.readAttributes(listed.file(), BasicFileAttributes.class));
  }

  public Optional<StoredBackup> find(String slug) throws IOException {
    return list().backups().stream().filter(b -> b.slug().equals(slug)).findFirst();
  }

  /**
   * Starts a new backup file named {@code fileName} ({@link FileNames}'s rule). Fails if a
   * backup of that name or slug is already there.
   */
  public PendingArchive begin(String fileName, String slug) throws IOException {
    FileNames.check(fileName);
    createDirectory();
    Path target = dir.resolve(fileName);
    if (Files.exists(target)) {
      throw new StoreException.AlreadyExists("a backup file named '" + fileName
          + "' already exists; choose another --filename");
    }
    if (find(slug).isPresent()) {
      throw new StoreException.AlreadyExists("a backup with slug '" + slug
          + "' already exists; give the new one another name");
    }
    return new PendingArchive(dir.resolve(TEMP_PREFIX + UUID.randomUUID() + ".tar"), target);
  }

  /**
   * Imports a Home Assistant backup file (any layout and SecureTar version Haven reads) under
   * {@code <slug>.tar}. It is copied under a temporary name, opened and, when it is unprotected or
   * {@code secret} is given, read to the end of every part; only then is it listed. A file that
   * is not a backup, is damaged, or whose slug is already here is refused
   * ({@link StoreException.Rejected}, {@link StoreException.AlreadyExists}), a wrong password
   * with {@link io.haven.archive.ArchiveException.WrongPassword}; nothing is kept then.
   */
  public StoredBackup importFile(Path file, Optional<Secret> secret)
      throws IOException {
    try (java.io.InputStream in = Files.newInputStream(file)) {
      return new BackupImport(this).fromStream(in, "'" + file.getFileName() + "'", secret,
          Optional.empty(), Progress.NONE);
    }
  }

  /**
   * As {@link #importFile}, for bytes that arrive as a stream (an HTTP upload): they are written
   * to a temporary file first. The stream is read to its end and not closed.
   */
  public StoredBackup importStream(java.io.InputStream in,
      Optional<Secret> secret, Optional<String> fileName, Progress progress)
      throws IOException {
    return new BackupImport(this).fromStream(in, "the uploaded file", secret, fileName, progress);
  }

  /** Deletes the backup with this slug. */
  public void remove(String slug) throws IOException {
    StoredBackup b = get(slug);
    Files.delete(b.file());
    cache.remove(b.file());
    PendingArchive.syncDirectory(dir);
  }

  /**
   * Deletes temporary files a crash left behind. Call only while holding the {@link JobLock}, so
   * no running job's file is taken. Returns how many were removed.
   */
  public int removeLeftovers() throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
      for (Path p : s) {
        Files.deleteIfExists(p);
        removed++;
      }
    }
    return removed;
  }

  /** A download name as the Supervisor gives it: the backup's name made file-safe. */
  public static String downloadName(BackupMetadata m) {
    String base = m.name().replaceAll("[^A-Za-z0-9]+", "_");
    return (base.isEmpty() ? m.slug() : base) + ".tar";
  }
}

package io.haven.restic;

import io.haven.archive.ArchiveException;
import io.haven.archive.BackupArchive;
import io.haven.archive.BackupMetadata;
import io.haven.archive.BackupSource;
import io.haven.archive.Part;
import io.haven.archive.PartFacts;
import io.haven.archive.Secret;
import io.haven.location.LocationException;
import io.haven.location.LocationSpec;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A location whose storage is a restic repository ({@code restic+file:///srv/vault},
 * {@code restic+sftp://user@host/path}, {@code restic+s3://bucket/prefix}, WebDAV, SMB and
 * rclone as {@link Storages} opens them): one backup is one snapshot, tagged with its slug. What
 * the offsite verbs need of it, in backups' terms.
 */
public final class Vault implements Closeable {
  /** The URL's scheme prefix that makes a location a restic repository. */
  public static final String SCHEME_PREFIX = "restic+";

  private final Storage storage;
  private final Repository repo;
  private final boolean created;

  private Vault(Storage storage, Repository repo, boolean created) {
    this.storage = storage;
    this.repo = repo;
    this.created = created;
  }

  /** Whether {@code spec} names a restic repository rather than a place for archives. */
  public static boolean holds(LocationSpec spec) {
    String scheme = spec.url().getScheme();
    return scheme != null && scheme.toLowerCase(java.util.Locale.ROOT).startsWith(SCHEME_PREFIX);
  }

  /** A backup the repository holds: its snapshot, backup.json and the bytes its files take. */
  public record Held(String snapshot, BackupMetadata metadata, long size) {}

  /**
   * Opens the repository, or with {@code create} makes an empty one where there is none yet (as
   * {@code restic init --repository-version 2} would).
   *
   * @param spool a local directory for packs on their way and the index's files
   * @param keys a directory as private as the stored passwords, where the repository's master
   *     key is kept once unlocked, so that the next open need not run scrypt ({@link KeyCache})
   * @throws ArchiveException.WrongPassword if the repository's password is another
   */
  public static Vault open(LocationSpec spec, Path spool, Path keys, boolean create)
      throws IOException {
    String password = spec.secret(LocationSpec.REPOSITORY_PASSWORD).orElseThrow(() ->
        new LocationException.Misconfigured("Location '" + spec.name() + "' needs the"
            + " repository's password: haven locations set " + spec.name()
            + " --password-file FILE"));
    Files.createDirectories(spool);
    Storage storage = Storages.open(inner(spec));
    KeyCache cache = KeyCache.of(keys, spec.url().toString());
    try {
      boolean empty = create && !storage.exists("config");
      Repository repo = empty ? Repository.init(storage, password, spool, cache)
          : Repository.open(storage, password, spool, cache);
      return new Vault(storage, repo, empty);
    } catch (IOException | RuntimeException e) {
      storage.close();
      throw e;
    }
  }

  /** Drops the master key {@link #open} kept in {@code keys} for {@code spec}'s repository. */
  public static void forgetKey(LocationSpec spec, Path keys) throws IOException {
    KeyCache.of(keys, spec.url().toString()).forget();
  }

  // The storage's own URL: restic+sftp://nas/vault is sftp://nas/vault.
  private static LocationSpec inner(LocationSpec spec) {
    String url = spec.url().toString().substring(SCHEME_PREFIX.length());
    return new LocationSpec(spec.name(), URI.create(url), spec.options(), spec.secrets());
  }

  /** The backups held, oldest first; snapshots restic made of other things are left out. */
  public List<Held> list() throws IOException {
    List<Held> held = new ArrayList<>();
    for (StoredSnapshot s : repo.snapshots()) {
      if (s.snapshot().havenBackup() != null) {
        BackupMetadata m = SnapshotSource.of(repo, s).metadata().orElseThrow();
        held.add(new Held(s.id().shortId(), m, size(m)));
      }
    }
    return held;
  }

  // What the backup's files take, as its facts say; zero for a backup without Haven's facts.
  private static long size(BackupMetadata m) {
    long total = 0;
    for (Part p : m.parts()) {
      total += m.haven().flatMap(h -> h.part(p)).map(PartFacts::fileBytes).orElse(0L);
    }
    return total;
  }

  /** The backup {@code slug}, or empty. */
  public Optional<Held> find(String slug) throws IOException {
    return list().stream().filter(h -> h.metadata().slug().equals(slug)).reduce((a, b) -> b);
  }

  /** Copies the backup in as a new snapshot; blobs the repository has already are not sent. */
  public Held copy(BackupArchive archive, Optional<Secret> secret) throws IOException {
    BackupCopy.Result r = BackupCopy.copy(repo, archive, secret);
    BackupMetadata m = archive.metadata().orElseThrow();
    return new Held(r.snapshot().shortId(), m, size(m));
  }

  /** The backup {@code slug} as a restore reads it, streamed from the repository. */
  public BackupSource source(String slug) throws IOException {
    List<StoredSnapshot> all = repo.snapshots();
    for (int i = all.size() - 1; i >= 0; i--) { // the newest copy of it
      StoredSnapshot s = all.get(i);
      if (s.snapshot().tags().contains(slug) && s.snapshot().havenBackup() != null) {
        return SnapshotSource.of(repo, s);
      }
    }
    throw notFound(slug);
  }

  /**
   * Forgets the backup {@code slug}, as {@code restic forget} does, under an exclusive lock: its
   * snapshots are removed; the data only they used stays until {@link #prune}.
   */
  public void remove(String slug) throws IOException {
    try (Lock lock = Lock.acquire(repo, true)) {
      boolean found = false;
      for (Storage.Entry e : storage.list("snapshots")) {
        Snapshot s = Json.read(repo.loadUnpacked(e.name()), Snapshot.class, e.name());
        if (s.tags().contains(slug) && s.havenBackup() != null) {
          storage.delete(e.name());
          found = true;
        }
      }
      if (!found) {
        throw notFound(slug);
      }
    }
  }

  private LocationException notFound(String slug) {
    return new LocationException.NotFound("No backup '" + slug + "' in the restic repository at "
        + repo.describe() + ".", null);
  }

  /** What a prune freed: packs deleted (repacked ones among them), packs repacked, bytes. */
  public record Reclaimed(long packsDeleted, long packsRepacked, long bytesFreed) {}

  /**
   * Drops the data no snapshot uses any more, as {@code restic prune} does: packs left with no
   * used blob are deleted, data packs at least half unused and tree packs with any unused tree
   * are repacked.
   *
   * @throws RepositoryLocked while restic or another Haven holds a lock on the repository
   */
  public Reclaimed prune() throws IOException {
    return Pruner.prune(repo);
  }

  /** restic's check: the structure, and with {@code readData} every blob of every pack. */
  public Checker.Report check(boolean readData) throws IOException {
    return new Checker(repo).check(readData);
  }

  /** How {@link #open} came by the master key. */
  Repository.Unlock unlock() {
    return repo.unlock();
  }

  /** Whether {@link #open} made the repository just now. */
  public boolean created() {
    return created;
  }

  public String describe() {
    return "restic repository at " + repo.describe();
  }

  @Override
  public void close() throws IOException {
    try (storage) {
      repo.close();
    }
  }
}

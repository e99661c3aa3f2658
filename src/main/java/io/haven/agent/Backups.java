package io.haven.agent;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.haven.archive.ArchiveException;
import io.haven.archive.BackupArchive;
import io.haven.archive.BackupMetadata;
import io.haven.archive.Secret;
import io.haven.archive.Verifier;
import io.haven.backup.BackupCreator;
import io.haven.backup.BackupRequest;
import io.haven.backup.BackupResult;
import io.haven.config.Config;
import io.haven.config.ConfigException;
import io.haven.restore.RestoreRequest;
import io.haven.restore.RestoreResult;
import io.haven.restore.Restorer;
import io.haven.store.BackupStore;
import io.haven.store.JobLock;
import io.haven.store.PendingArchive;
import io.haven.store.StoredBackup;
import io.haven.tree.DataRoot;
import io.haven.tree.Progress;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * The backup verbs on one configuration, worked in this process. Jobs that change anything (new,
 * restore, remove) take the job lock, and before their work finish or roll back what a crash
 * interrupted.
 */
public final class Backups implements BackupVerbs {
  private final Config config;
  private final DataRoot root;
  private final BackupStore store;
  private final Clock clock;
  private final String version;

  public Backups(Config config, Clock clock, String version) throws ConfigException {
    this.config = config;
    this.root = new DataRoot(config.dataRoot());
    if (root.holdsInPart(config.backupDir())) {
      // A restore replaces part directories whole: backups kept inside one would be wiped.
      throw new ConfigException("backup_dir " + config.backupDir() + " is inside a part of"
          + " data_root " + config.dataRoot() + ", so a restore would replace it. Keep backups"
          + " outside config/, share/, ssl/, media/ and addons/.", null);
    }
    this.store = new BackupStore(config.backupDir());
    this.clock = clock;
    this.version = version;
  }

  public BackupStore store() {
    return store;
  }

  public DataRoot root() {
    return root;
  }

  @Override
  public Path backupDir() {
    return store.dir();
  }

  @Override
  public BackupStore.Listing list() throws IOException {
    return store.list();
  }

  @Override
  public StoredBackup info(String slug) throws IOException {
    return store.get(slug);
  }

  @Override
  public BackupResult create(BackupRequest request, Progress progress) throws IOException {
    try (Session session = open(jobName(request.isFull() ? "backup_manager_full_backup"
        : "backup_manager_partial_backup"))) {
      return session.create(request, progress);
    }
  }

  @Override
  public RestoreResult restore(String slug, RestoreRequest request, Progress progress)
      throws IOException {
    try (Session session = open(jobName(request.isFull() ? "backup_manager_full_restore"
        : "backup_manager_partial_restore"))) {
      return session.restore(slug, request, progress);
    }
  }

  /**
   * Takes the job lock as {@code job} ("job 3f2a… (backup_manager_full_backup)") and finishes or
   * rolls back what a crash interrupted. Fails {@link io.haven.store.StoreException.Busy} when
   * another job, in this process or another, holds the lock. Closing the session releases it.
   */
  public Session open(String job) throws IOException {
    JobLock lock = JobLock.acquire(config.backupDir(), job);
    try {
      recover();
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
    return new Session(lock);
  }

  /** The jobs that change the backup directory or the data root, under the job lock. */
  public final class Session implements AutoCloseable {
    private final JobLock lock;

    private Session(JobLock lock) {
      this.lock = lock;
    }

    public BackupResult create(BackupRequest request, Progress progress) throws IOException {
      root.createIfMissing();
      BackupCreator creator = new BackupCreator(root, store, clock, version,
          JsonNodeFactory.instance::objectNode, config.compressionWorkers());
      return creator.create(request, progress);
    }

    public RestoreResult restore(String slug, RestoreRequest request, Progress progress)
        throws IOException {
      StoredBackup b = store.get(slug);
      try (BackupArchive archive = BackupArchive.open(b.file())) {
        return new Restorer(root, progress).restore(archive, request);
      }
    }

    /**
     * Adds {@code upload} (a file the caller wrote, fully, under {@link BackupStore#TEMP_PREFIX}
     * in the backup directory) as a backup: it must hold a readable backup.json, and it takes
     * {@code fileName} or {@code <slug>.tar}. The file is gone afterwards either way.
     */
    public StoredBackup importUpload(Path upload, Optional<String> fileName) throws IOException {
      try {
        BackupMetadata m;
        try (BackupArchive archive = BackupArchive.open(upload)) {
          m = archive.metadata().orElseThrow(() -> new ArchiveException.Corrupt(
              "the uploaded file has no backup.json: it is not a backup"));
        }
        try (FileChannel ch = FileChannel.open(upload, StandardOpenOption.WRITE)) {
          ch.force(true);
        }
        try (PendingArchive pending = store.begin(fileName.orElse(m.slug() + ".tar"),
            m.slug())) {
          Files.move(upload, pending.path(), StandardCopyOption.ATOMIC_MOVE);
          pending.commit();
        }
        return store.get(m.slug());
      } finally {
        Files.deleteIfExists(upload);
      }
    }

    @Override
    public void close() throws IOException {
      lock.close();
    }
  }

  @Override
  public void remove(String slug) throws IOException {
    try (JobLock lock = JobLock.acquire(config.backupDir(), jobName("backup_manager_remove"))) {
      store.remove(slug);
    }
  }

  public Verifier.Report verify(String slug, Optional<Secret> secret) throws IOException {
    try (BackupArchive archive = BackupArchive.open(store.get(slug).file())) {
      return Verifier.verify(archive, secret);
    }
  }

  /** Rescans the backup directory, after cleaning what an interrupted job left. */
  @Override
  public BackupStore.Listing reload() throws IOException {
    try (JobLock lock = JobLock.acquire(config.backupDir(), jobName("backup_manager_reload"))) {
      recover();
    }
    return store.list();
  }

  private void recover() throws IOException {
    store.removeLeftovers();
    Restorer.recover(root);
  }

  private static String jobName(String name) {
    return Job.label(UUID.randomUUID().toString().replace("-", ""), name);
  }
}

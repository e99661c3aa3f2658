package io.haven.agent;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.haven.archive.BackupArchive;
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
import io.haven.store.StoredBackup;
import io.haven.tree.DataRoot;
import io.haven.tree.Progress;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * The backup verbs on one configuration. Jobs that change anything (new, restore, remove) take the
 * job lock, and before their work finish or roll back what a crash interrupted.
 */
public final class Backups {
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

  public BackupStore.Listing list() throws IOException {
    return store.list();
  }

  public StoredBackup info(String slug) throws IOException {
    return store.get(slug);
  }

  public BackupResult create(BackupRequest request, Progress progress) throws IOException {
    String job = jobName(request.isFull() ? "backup_manager_full_backup"
        : "backup_manager_partial_backup");
    try (JobLock lock = JobLock.acquire(config.backupDir(), job)) {
      recover();
      root.createIfMissing();
      BackupCreator creator = new BackupCreator(root, store, clock, version,
          JsonNodeFactory.instance::objectNode, config.compressionWorkers());
      return creator.create(request, progress);
    }
  }

  public RestoreResult restore(String slug, RestoreRequest request, Progress progress)
      throws IOException {
    String job = jobName(request.isFull() ? "backup_manager_full_restore"
        : "backup_manager_partial_restore");
    try (JobLock lock = JobLock.acquire(config.backupDir(), job)) {
      recover();
      StoredBackup b = store.get(slug);
      try (BackupArchive archive = BackupArchive.open(b.file())) {
        return new Restorer(root, progress).restore(archive, request);
      }
    }
  }

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
    return "job " + UUID.randomUUID().toString().replace("-", "") + " (" + name + ")";
  }
}

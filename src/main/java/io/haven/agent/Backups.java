package io.haven.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.archive.BackupArchive;
import io.haven.archive.Part;
import io.haven.archive.Secret;
import io.haven.archive.Verifier;
import io.haven.backup.BackupCreator;
import io.haven.backup.BackupEstimate;
import io.haven.backup.Estimator;
import io.haven.backup.ServiceHooks;
import io.haven.backup.SourceFacts;
import io.haven.backup.BackupRequest;
import io.haven.backup.BackupResult;
import io.haven.config.Config;
import io.haven.device.DeviceFacts;
import io.haven.restore.Preflight;
import io.haven.restore.PreflightException;
import io.haven.restore.PreflightReport;
import io.haven.restore.RestoreRequest;
import io.haven.restore.RestoreResult;
import io.haven.restore.Restorer;
import io.haven.restore.WriteRate;
import io.haven.store.BackupStore;
import io.haven.store.JobLock;
import io.haven.store.StoredBackup;
import io.haven.tree.DataRoot;
import io.haven.tree.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup verbs on one configuration. Jobs that change anything (new, restore, remove) take the
 * job lock, and before their work finish or roll back what a crash interrupted.
 */
public final class Backups {
  private static final Logger LOG = LoggerFactory.getLogger("io.haven.job");
  /** The preflight's write probe: long enough to pass a small cache, short enough to wait for. */
  private static final long PROBE_BYTES = 8L * 1024 * 1024;

  private final Config config;
  private final Consumer<String> jobLog;
  private final DataRoot root;
  private final BackupStore store;
  private final Clock clock;
  private final String version;

  public Backups(Config config, Clock clock, String version) {
    this(config, clock, version, line -> { });
  }

  /** @param jobLog receives the job's log lines (service commands and their output) */
  public Backups(Config config, Clock clock, String version, Consumer<String> jobLog) {
    this.config = config;
    this.jobLog = line -> {
      LOG.info(line);
      jobLog.accept(line);
    };
    this.root = new DataRoot(config.dataRoot());
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
          this::sourceFacts, config.compressionWorkers()).withHooks(hooks());
      return creator.create(request, progress);
    }
  }

  /** Restores after a passing preflight; see {@link #restore(String, RestoreRequest, Progress, boolean, Consumer)}. */
  public RestoreResult restore(String slug, RestoreRequest request, Progress progress)
      throws IOException {
    return restore(slug, request, progress, false, report -> { });
  }

  /**
   * Runs the preflight and hands its report to {@code onPreflight}; refuses with
   * {@link PreflightException.Blocked} when a finding blocks, unless {@code force}. Then stops the
   * services that own the parts, restores, starts them again (also when the restore failed) and
   * restarts Home Assistant when its configuration was restored.
   */
  public RestoreResult restore(String slug, RestoreRequest request, Progress progress,
      boolean force, Consumer<PreflightReport> onPreflight) throws IOException {
    String job = jobName(request.isFull() ? "backup_manager_full_restore"
        : "backup_manager_partial_restore");
    try (JobLock lock = JobLock.acquire(config.backupDir(), job)) {
      recover();
      StoredBackup b = store.get(slug);
      try (BackupArchive archive = BackupArchive.open(b.file())) {
        PreflightReport report = preflight(archive, request);
        onPreflight.accept(report);
        report.findings().forEach(f -> jobLog.accept("preflight " + f.severity() + " "
            + f.check() + ": " + f.message()));
        if (!report.passed() && !force) {
          throw new PreflightException.Blocked(report);
        }
        List<Part> parts = request.isFull() ? archive.parts() : request.parts();
        return hooks().aroundRestore(parts, request.isFull(),
            () -> new Restorer(root, progress).restore(archive, request));
      }
    }
  }

  /** The migration preflight for restoring {@code slug} here; changes nothing. */
  public PreflightReport preflight(String slug, RestoreRequest request) throws IOException {
    try (BackupArchive archive = BackupArchive.open(store.get(slug).file())) {
      return preflight(archive, request);
    }
  }

  /** What a backup of {@code parts} (empty: full) would hold; walks metadata only. */
  public BackupEstimate estimate(List<Part> parts, boolean excludeDatabase) throws IOException {
    return new Estimator(root, store).estimate(parts, excludeDatabase);
  }

  /** This device as Haven sees it: board, disks, radios, data root and backup dir. */
  public DeviceFacts device() {
    return DeviceFacts.collect(config.sysRoot(), config.dataRoot(), config.backupDir());
  }

  private PreflightReport preflight(BackupArchive archive, RestoreRequest request)
      throws IOException {
    DeviceFacts target = device();
    return new Preflight(target, root, writeRate(target)).check(archive, request);
  }

  // Measured where the restore will write when there is room for the probe; else by disk kind.
  private WriteRate writeRate(DeviceFacts target) {
    Path at = root.path();
    while (at != null && !Files.isDirectory(at)) {
      at = at.getParent();
    }
    boolean room = target.dataRoot().space() != null
        && target.dataRoot().space().freeBytes() > 8 * PROBE_BYTES;
    if (at != null && room) {
      try {
        return WriteRate.probe(at, PROBE_BYTES);
      } catch (IOException e) {
        jobLog.accept("write probe in " + at + " failed (" + e.getMessage() + "); using an"
            + " assumed rate");
      }
    }
    return Preflight.assumedRate(target);
  }

  private ObjectNode sourceFacts() {
    return SourceFacts.of(device(), root.path(), config.sysRoot(), version).toJson();
  }

  private ServiceHooks hooks() {
    return new ServiceHooks(config.services(), root.path(), jobLog);
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

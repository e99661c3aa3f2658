package io.haven.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.archive.ArchiveException;
import io.haven.archive.BackupArchive;
import io.haven.archive.BackupSource;
import io.haven.archive.BackupMetadata;
import io.haven.archive.Part;
import io.haven.archive.Secret;
import io.haven.archive.Verifier;
import io.haven.backup.BackupCreator;
import io.haven.backup.BackupEstimate;
import io.haven.backup.BackupRequest;
import io.haven.backup.BackupResult;
import io.haven.backup.Estimator;
import io.haven.backup.ServiceHooks;
import io.haven.backup.SourceFacts;
import io.haven.config.Config;
import io.haven.config.ConfigException;
import io.haven.device.DeviceFacts;
import io.haven.restore.FileRestorer;
import io.haven.restore.Preflight;
import io.haven.restore.PreflightException;
import io.haven.restore.PreflightReport;
import io.haven.restore.RestoreRequest;
import io.haven.restore.RestoreResult;
import io.haven.restore.Restorer;
import io.haven.restore.WriteRate;
import io.haven.store.AutomaticBackups;
import io.haven.store.BackupStore;
import io.haven.store.JobLock;
import io.haven.store.StoredBackup;
import io.haven.store.VerifyRecords;
import io.haven.tree.DataRoot;
import io.haven.tree.Excludes;
import io.haven.tree.Progress;
import io.haven.failure.NotEnoughSpace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup verbs on one configuration, worked in this process. Jobs that change anything (new,
 * restore, remove) take the job lock, and before their work finish or roll back what a crash
 * interrupted.
 */
public final class Backups {
  private static final Logger LOG = LoggerFactory.getLogger("io.haven.job");
  /** The preflight's write probe: long enough to pass a small cache, short enough to wait for. */
  private static final long PROBE_BYTES = 8L * 1024 * 1024;

  private final Config config;
  private final Consumer<String> jobLog;
  private final DataRoot root;
  private final BackupStore store;
  private final VerifyRecords verifications;
  private final Clock clock;
  private final String version;
  private final BackupKeys keys;

  public Backups(Config config, Clock clock, String version) throws ConfigException {
    this(config, clock, version, line -> { });
  }

  /** @param jobLog receives the job's log lines (service commands and their output) */
  public Backups(Config config, Clock clock, String version, Consumer<String> jobLog)
      throws ConfigException {
    this.config = config;
    this.jobLog = line -> {
      LOG.info(line);
      jobLog.accept(line);
    };
    this.root = new DataRoot(config.dataRoot());
    if (root.holdsInPart(config.backupDir())) {
      // A restore replaces part directories whole: backups kept inside one would be wiped.
      throw new ConfigException("backup_dir " + config.backupDir() + " is inside a part of"
          + " data_root " + config.dataRoot() + ", so a restore would replace it. Keep backups"
          + " outside config/, share/, ssl/, media/ and addons/.", null);
    }
    for (String glob : config.excludes()) {
      try {
        Excludes.checkUserGlob(glob);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("Invalid config: excludes: " + e.getMessage() + ".", e);
      }
    }
    this.store = new BackupStore(config.backupDir());
    this.verifications = new VerifyRecords(config.backupDir());
    this.clock = clock;
    this.version = version;
    this.keys = new BackupKeys(config, clock);
  }

  /** The backup encryption key, and the older ones that open older backups. */
  public BackupKeys keys() {
    return keys;
  }

  public BackupStore store() {
    return store;
  }

  public DataRoot root() {
    return root;
  }

  public Path backupDir() {
    return store.dir();
  }

  public BackupStore.Listing list() throws IOException {
    return store.list();
  }

  public StoredBackup info(String slug) throws IOException {
    return store.get(slug);
  }

  /** Makes a backup under the job lock; fails Busy while another job holds it. */
  public BackupResult create(BackupRequest request, Progress progress) throws IOException {
    try (Session session = open(jobName(request.isFull() ? "backup_manager_full_backup"
        : "backup_manager_partial_backup"))) {
      return session.create(request, progress);
    }
  }

  /**
   * Runs the preflight and hands its report to {@code onPreflight}; refuses with
   * {@link PreflightException.Blocked} when a finding blocks, unless the request forces. Then stops
   * the services that own the parts, restores, starts them again (also when the restore failed)
   * and restarts Home Assistant when its configuration was restored.
   */
  public RestoreResult restore(String slug, RestoreRequest request, Progress progress,
      Consumer<PreflightReport> onPreflight) throws IOException {
    try (Session session = open(jobName(request.isFull() ? "backup_manager_full_restore"
        : "backup_manager_partial_restore"))) {
      return session.restore(slug, request, progress, onPreflight);
    }
  }

  /** Restores without looking at the preflight's report (it still refuses on blocking ones). */
  public RestoreResult restore(String slug, RestoreRequest request, Progress progress)
      throws IOException {
    return restore(slug, request, progress, report -> { });
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

    /** Makes a backup that leaves out the config's {@code excludes:} too. */
    public BackupResult create(BackupRequest request, Progress progress) throws IOException {
      return create(request, progress, Backups.this::sourceFacts);
    }

    /**
     * As {@link #create}, for the schedule: backup.json marks the backup automatic for
     * {@code instanceId}, so retention may delete it.
     */
    public BackupResult createAutomatic(BackupRequest request, String instanceId,
        Progress progress) throws IOException {
      return create(request, progress, () -> AutomaticBackups.mark(sourceFacts(), instanceId));
    }

    private BackupResult create(BackupRequest request, Progress progress,
        Supplier<ObjectNode> source) throws IOException {
      root.createIfMissing();
      BackupCreator creator = new BackupCreator(root, store, clock, version, source,
          config.compressionWorkers()).withHooks(hooks());
      return creator.create(request.withExcludes(excludes(request.excludes())), progress);
    }

    /** See {@link Backups#restore(String, RestoreRequest, Progress, Consumer)}. */
    public RestoreResult restore(String slug, RestoreRequest request, Progress progress,
        Consumer<PreflightReport> onPreflight) throws IOException {
      return restore(store.get(slug).file(), request, progress, onPreflight);
    }

    /**
     * As {@link #restore(String, RestoreRequest, Progress, Consumer)}, from the backup file
     * {@code file} wherever it lies (a location's directory, a mounted share), read in place:
     * the restore checks every part as it stages it, so a damaged file is refused with the data
     * root unchanged, and nothing is copied into the backup directory.
     */
    public RestoreResult restore(Path file, RestoreRequest asked, Progress progress,
        Consumer<PreflightReport> onPreflight) throws IOException {
      try (BackupArchive archive = BackupArchive.open(file)) {
        return restore(archive, asked, progress, onPreflight);
      }
    }

    /**
     * As {@link #restore(Path, RestoreRequest, Progress, Consumer)}, from any backup whose parts
     * stream (a snapshot in a restic repository): staged, checked, then swapped in.
     */
    public RestoreResult restore(BackupSource archive, RestoreRequest asked, Progress progress,
        Consumer<PreflightReport> onPreflight) throws IOException {
      RestoreRequest request = withKey(archive, asked);
      Restorer.checkPassword(archive, request);
      // Not measured here: the probe would write and flush 8 MiB before every restore (a second
      // on an SD card), only to estimate a duration the restore's progress shows anyway.
      PreflightReport report = preflight(archive, request, false);
      onPreflight.accept(report);
      report.findings().forEach(f -> jobLog.accept("preflight " + f.severity() + " "
          + f.check() + ": " + f.message()));
      if (!report.passed() && !request.force()) {
        throw new PreflightException.Blocked(report);
      }
      List<Part> parts = request.isFull() ? archive.parts() : request.parts();
      return hooks().aroundRestore(parts, request.isFull(), () -> {
        RestoreResult r = new Restorer(root, progress).restore(archive, request);
        jobLog.accept("swapped in " + r.parts() + " (" + r.entries() + " entries)");
        return r;
      });
    }

    /**
     * Restores the files or folders {@code paths} (as {@code haven backups ls} shows them) of
     * {@code slug}: into their place in the data root, replacing them atomically, all or none
     * (services owning their parts stopped meanwhile, as for a restore); or, with {@code into},
     * into that directory, never over existing names. Streams; nothing else is extracted.
     */
    public List<FileRestorer.Result> restoreFiles(String slug, Optional<Secret> given,
        List<String> paths, Optional<Path> into, Progress progress) throws IOException {
      try (BackupArchive archive = BackupArchive.open(store.get(slug).file())) {
        Optional<Secret> secret = keys.opening(archive, given);
        FileRestorer restorer = new FileRestorer(root, progress);
        if (into.isEmpty()) {
          List<Part> parts = FileRestorer.partsOf(archive, paths);
          return hooks().aroundRestore(parts, false,
              () -> restorer.restoreInPlace(archive, secret, paths));
        }
        List<FileRestorer.Result> results = new ArrayList<>();
        for (String p : paths) {
          results.add(restorer.restore(archive, secret, p, into));
        }
        return results;
      }
    }

    /**
     * Adds an uploaded backup: streamed to a temporary file in the backup directory, checked
     * (every part read when it is not protected), then named {@code fileName} or
     * {@code <slug>.tar}. Under the job lock, so no other job's cleanup takes the half-written
     * file. Nothing is kept when it is not an acceptable backup.
     */
    public StoredBackup importUpload(InputStream body, Optional<String> fileName,
        Progress progress) throws IOException {
      try {
        return store.importStream(body, Optional.empty(), fileName, progress);
      } catch (IOException e) {
        throw NotEnoughSpace.whileWriting(e, "The backup directory filled up while receiving"
            + " the uploaded backup; nothing was kept. Free space or remove old backups, then"
            + " upload it again.").map(IOException.class::cast).orElse(e);
      }
    }

    @Override
    public void close() throws IOException {
      lock.close();
    }
  }

  /** The migration preflight for restoring {@code slug} here; changes nothing. */
  public PreflightReport preflight(String slug, RestoreRequest request) throws IOException {
    try (BackupArchive archive = BackupArchive.open(store.get(slug).file())) {
      return preflight(archive, request, true);
    }
  }

  /** The migration preflight for restoring the backup file {@code file} here; changes nothing. */
  public PreflightReport preflight(Path file, RestoreRequest request) throws IOException {
    try (BackupArchive archive = BackupArchive.open(file)) {
      return preflight(archive, request, true);
    }
  }

  /** What a backup of {@code parts} (empty: full) would hold; walks metadata only. */
  public BackupEstimate estimate(List<Part> parts, boolean excludeDatabase,
      List<String> excludes) throws IOException {
    return new Estimator(root, store).estimate(parts, excludeDatabase, excludes(excludes));
  }

  /**
   * What every backup leaves out beside Home Assistant's own excludes: the config's
   * {@code excludes:}, then {@code more}, each once.
   */
  public List<String> excludes(List<String> more) {
    List<String> all = new ArrayList<>(config.excludes());
    more.stream().filter(g -> !all.contains(g)).forEach(all::add);
    return List.copyOf(all);
  }

  /** This device as Haven sees it: board, disks, radios, data root and backup dir. */
  public DeviceFacts device() {
    return DeviceFacts.collect(config.sysRoot(), config.dataRoot(), config.backupDir());
  }

  // No password given for a protected backup: one of the kept keys may open it.
  private RestoreRequest withKey(BackupSource archive, RestoreRequest r) throws IOException {
    return new RestoreRequest(r.parts(), keys.opening(archive, r.secret()), r.force());
  }

  private PreflightReport preflight(BackupSource archive, RestoreRequest request,
      boolean measure) throws IOException {
    DeviceFacts target = device();
    WriteRate rate = measure ? writeRate(target) : Preflight.assumedRate(target);
    return new Preflight(target, root, rate).check(archive, request);
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

  /**
   * Reads every part of {@code slug} to its end. The outcome is recorded for retention
   * ({@link #verifications()}): intact is good, damage is bad; a wrong or missing password or an
   * unsupported format says nothing about the bytes and records nothing.
   */
  public Verifier.Report verify(String slug, Optional<Secret> secret) throws IOException {
    return verify(store.get(slug), secret);
  }

  /**
   * As {@link #verify(String, Optional)}, for a backup of this backup directory already listed,
   * so a check of every backup reads the directory once.
   */
  public Verifier.Report verify(StoredBackup b, Optional<Secret> secret) throws IOException {
    if (!store.dir().equals(b.file().getParent())) {
      throw new IllegalArgumentException(b.file() + " is not in the backup directory "
          + store.dir());
    }
    Verifier.Report report;
    try (BackupArchive archive = BackupArchive.open(b.file())) {
      report = Verifier.verify(archive, keys.opening(archive, secret));
    } catch (ArchiveException.Corrupt e) {
      verifications.record(b, false, clock.instant());
      throw e;
    }
    Optional<ArchiveException> problem = report.firstProblem();
    if (problem.isEmpty() || problem.get() instanceof ArchiveException.Corrupt) {
      verifications.record(b, problem.isEmpty(), clock.instant());
    }
    return report;
  }

  /** The last verify outcome of each backup in the backup directory. */
  public VerifyRecords verifications() {
    return verifications;
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
    return Job.label(UUID.randomUUID().toString().replace("-", ""), name);
  }
}

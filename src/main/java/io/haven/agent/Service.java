package io.haven.agent;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.archive.ArchiveListing;
import io.haven.archive.BackupArchive;
import io.haven.archive.Compression;
import io.haven.archive.Part;
import io.haven.archive.SecureTar;
import io.haven.archive.Secret;
import io.haven.archive.Verifier;
import io.haven.backup.BackupEstimate;
import io.haven.backup.BackupRequest;
import io.haven.backup.BackupResult;
import io.haven.config.Config;
import io.haven.config.ConfigException;
import io.haven.device.DeviceFacts;
import io.haven.location.Location;
import io.haven.location.LocationSpec;
import io.haven.location.Locations;
import io.haven.restore.PreflightReport;
import io.haven.restore.RestoreRequest;
import io.haven.restore.RestoreResult;
import io.haven.store.BackupStore;
import io.haven.store.FileNames;
import io.haven.store.StoreException;
import io.haven.store.StoredBackup;
import io.haven.tree.Excludes;
import io.haven.tree.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Haven's verbs on one configuration, the one road every front end takes: the command line (in
 * this process, or through the socket when the agent runs), the socket, the HTTP API, the
 * schedule and MQTT. Requests are typed ({@link NewBackup}, {@link RestoreBackup}); defaults
 * come from the config here, never from a front end. Long verbs run as {@link Job}s under the
 * job lock, one at a time; a backup's copies run inside its own job.
 */
public final class Service implements Verbs {
  public static final String FULL_BACKUP = "backup_manager_full_backup";
  public static final String PARTIAL_BACKUP = "backup_manager_partial_backup";
  public static final String FULL_RESTORE = "backup_manager_full_restore";
  public static final String PARTIAL_RESTORE = "backup_manager_partial_restore";
  public static final String IMPORT = "backup_manager_import_backup";
  public static final String VERIFY = "haven_verify_backup";
  /** The Supervisor's stage for copies to the locations after the first. */
  public static final String COPY_STAGE = "copy_additional_locations";

  private final Config config;
  private final Backups backups;
  private final OffsiteBackups offsite;
  private final Jobs jobs;
  private final Onboarding onboarding;
  // Set once the schedule's timer runs (it starts after the front ends serve).
  private volatile Supplier<Optional<Instant>> nextBackup = Optional::empty;
  // The web panel's settings: the file they are saved in (none: read-only), the config as last
  // saved, and who follows a change (the daemon's schedule).
  private volatile Optional<Path> settingsFile = Optional.empty();
  private volatile Config settings;
  private volatile Consumer<Config> onSettings = c -> { };

  /** The verbs in this process, with nobody listening to the jobs. */
  public Service(Config config, Clock clock, String version) throws ConfigException {
    this(config, clock, version, job -> { });
  }

  /** @param listener told when any job starts a stage or ends (systemd, the LED, MQTT) */
  public Service(Config config, Clock clock, String version, Jobs.Listener listener)
      throws ConfigException {
    this.config = config;
    this.backups = new Backups(config, clock, version);
    this.offsite = new OffsiteBackups(config, backups, clock);
    this.jobs = new Jobs(backups, clock, listener);
    this.onboarding = new Onboarding(config.backupDir(), clock);
    this.settings = config;
  }

  /** Whether the device still waits to be set up (the onboarding page's access). */
  public Onboarding onboarding() {
    return onboarding;
  }

  public Config config() {
    return config;
  }

  public Backups backups() {
    return backups;
  }

  public OffsiteBackups offsite() {
    return offsite;
  }

  public Jobs jobs() {
    return jobs;
  }

  /** The backup encryption key and the older ones kept. */
  public BackupKeys keys() {
    return backups.keys();
  }

  void nextBackupFrom(Supplier<Optional<Instant>> next) {
    nextBackup = next;
  }

  /** When the schedule starts the next automatic backup; empty without a schedule. */
  public Optional<Instant> nextBackup() {
    return nextBackup.get();
  }

  void settingsIn(Path file) {
    settingsFile = Optional.of(file);
  }

  /** The file the settings are saved in; empty when they are read-only. */
  public Optional<Path> settingsFile() {
    return settingsFile;
  }

  void onSettings(Consumer<Config> listener) {
    onSettings = listener;
  }

  /** The configuration as the settings last left it. */
  public Config settings() {
    return settings;
  }

  /** Takes the settings of {@code saved} (the file just written) and tells the schedule. */
  public synchronized void settingsSaved(Config saved) {
    settings = settings.withSettingsOf(saved);
    onSettings.accept(settings);
  }

  @Override
  public Path backupDir() {
    return backups.backupDir();
  }

  @Override
  public BackupStore.Listing list() throws IOException {
    return backups.list();
  }

  @Override
  public StoredBackup info(String slug) throws IOException {
    return backups.info(slug);
  }

  /** Every backup here or known in a location, newest first, with its places. */
  public List<PlacedBackup> placed() throws IOException {
    return offsite.placed();
  }

  /** The backup {@code slug} with its places; fails NotFound. */
  public PlacedBackup placed(String slug) throws IOException {
    return offsite.placed(slug);
  }

  /** The parts present in the data root, as a full backup would take them. */
  public List<Part> present() throws IOException {
    return backups.root().present();
  }

  /**
   * The backup request {@code r} stands for, with the config's defaults: its {@code compression:}
   * (gzip for {@code compat}) and SecureTar v3 (v2 for {@code compat}).
   */
  public BackupRequest resolve(NewBackup r) throws BadRequest {
    Compression compression = r.compression().orElse(r.compat() ? Compression.GZIP
        : config.compression());
    SecureTar.Version encryption = r.encryption().orElse(r.compat() ? SecureTar.Version.V2
        : SecureTar.Version.V3);
    return new BackupRequest(r.name(), r.parts(), r.password(), compression, encryption,
        r.excludeDatabase(), r.fileName(), excludes(r.excludes()));
  }

  /**
   * Starts a backup as a job and returns at once. The backup is made in the backup directory,
   * then copied to each of {@code copyTo} and each copy read back (the stage
   * {@value #COPY_STAGE}), in the same job. A failed copy is one of the job's errors; the backup
   * still succeeds and stays in the backup directory, as the Supervisor keeps a backup whose copy
   * failed. Fails BadRequest naming an unknown location, before any work.
   *
   * @param watcher also told the job's stages and bytes (the command line's progress bar)
   */
  public Job startBackup(NewBackup r, Progress watcher) throws IOException {
    known(r.copyTo());
    if (r.fileName().isPresent()) {
      FileNames.check(r.fileName().get()); // the user's choice: BadName, not a broken request
    }
    BackupRequest request = resolve(r);
    List<String> copyTo = r.copyTo().stream().map(Place.Named::name).toList();
    return jobs.start(r.jobName(), Optional.empty(), watcher, (session, job) -> {
      BackupResult made = session.create(request, job);
      String slug = made.metadata().slug();
      List<OffsiteBackups.CopyOutcome> copies = List.of();
      if (!copyTo.isEmpty()) {
        job.stage(COPY_STAGE);
        copies = offsite.copy(session, slug, copyTo);
        for (OffsiteBackups.CopyOutcome o : copies) {
          o.failure().ifPresent(e -> job.capture(e, "Could not copy backup " + slug + " to "
              + o.location() + ": " + e.getMessage() + " The backup is kept in the backup"
              + " directory; copy it again with 'haven backups copy'."));
        }
      }
      return new Made(made, copies);
    }, Made::slug);
  }

  @Override
  public Made create(NewBackup request, Progress progress) throws IOException {
    return (Made) outcome(startBackup(request, progress));
  }

  /**
   * Starts a restore as a job; fails NotFound at once when the backup directory is the source
   * and does not hold it. From a location the backup is read where it lies on a {@code file://}
   * location, else first downloaded into the backup directory and checked (stage
   * "download_from_agent"). The preflight's report goes to {@code onPreflight} and shows in the
   * job's {@code extra.preflight}.
   */
  public Job startRestore(RestoreBackup r, Progress watcher,
      Consumer<PreflightReport> onPreflight) throws IOException {
    known(List.of(r.from()));
    if (r.from().isLocal()) {
      backups.info(r.slug());
    }
    Consumer<PreflightReport> report = onPreflight;
    return jobs.start(r.jobName(), Optional.of(r.slug()), watcher, (session, job) -> {
      Consumer<PreflightReport> both = p -> {
        job.preflight(p.toJson());
        report.accept(p);
      };
      RestoreResult done = r.from() instanceof Place.Named n
          ? offsite.restore(session, r.slug(), n.name(), r.request(), job, both)
          : session.restore(r.slug(), r.request(), job, both);
      onboarding.close("restored backup " + r.slug());
      return done;
    }, x -> r.slug());
  }

  @Override
  public RestoreResult restore(RestoreBackup request, Progress progress,
      Consumer<PreflightReport> onPreflight) throws IOException {
    return (RestoreResult) outcome(startRestore(request, progress, onPreflight));
  }

  /**
   * Deletes {@code slug} from {@code places}, or, as the Supervisor does when none is named,
   * from every place known to hold it; one after another under one job lock.
   */
  @Override
  public void remove(String slug, List<Place> places) throws IOException {
    known(places);
    offsite.remove(slug, places.isEmpty() ? placed(slug).places() : places);
  }

  /** Rescans; when a job holds the lock, only lists (the cleanup waits for the next start). */
  @Override
  public BackupStore.Listing reload() throws IOException {
    try {
      return backups.reload();
    } catch (StoreException.Busy e) {
      return backups.list();
    }
  }

  /**
   * Starts reading every part of {@code slug} to its end; the job fails with the first problem
   * found (a wrong password, a damaged part). Fails NotFound at once when there is no such backup.
   */
  public Job startVerify(String slug, Optional<Secret> secret) throws IOException {
    backups.info(slug);
    return jobs.start(VERIFY, Optional.of(slug), Progress.NONE, (session, job) -> {
      job.stage("verify");
      Verifier.Report report = backups.verify(slug, secret);
      if (report.firstProblem().isPresent()) {
        throw report.firstProblem().get();
      }
      return report;
    }, r -> slug);
  }

  /**
   * Streams {@code body} into a temporary file in the backup directory, then adds it as a backup
   * once it proves to be one. Runs as an import job on the calling thread, under the job lock, so
   * no other job's cleanup takes the half-written file.
   */
  public Job upload(InputStream body, long length, Optional<String> fileName) throws IOException {
    return jobs.run(IMPORT, (session, job) -> {
      job.stage("upload");
      job.total(Math.max(0, length));
      return session.importUpload(body, fileName, job);
    }, StoredBackup::slug);
  }

  /** Copies the backup {@code slug} to each location, under the job lock. */
  @Override
  public List<OffsiteBackups.CopyOutcome> copy(String slug, List<Place.Named> to)
      throws IOException {
    known(to);
    return offsite.copy(slug, to.stream().map(Place.Named::name).toList());
  }

  /** The migration preflight for a full restore of {@code slug} here; changes nothing. */
  public PreflightReport preflight(String slug, RestoreRequest request) throws IOException {
    return backups.preflight(slug, request);
  }

  /**
   * What a backup of {@code parts} (empty: full) would hold, leaving out the config's
   * {@code excludes:} and {@code excludes}; walks metadata only.
   */
  public BackupEstimate estimate(List<Part> parts, boolean excludeDatabase,
      List<String> excludes) throws IOException {
    return backups.estimate(parts, excludeDatabase, excludes(excludes));
  }

  /**
   * What a backup asked to leave out {@code more} leaves out: the config's {@code excludes:},
   * then {@code more}, each once; fails BadRequest naming a glob that cannot be one.
   */
  public List<String> excludes(List<String> more) throws BadRequest {
    for (String glob : more) {
      try {
        Excludes.checkUserGlob(glob);
      } catch (IllegalArgumentException e) {
        throw new BadRequest("The exclude pattern is not valid: " + e.getMessage() + ".");
      }
    }
    return backups.excludes(more);
  }

  /** This device as Haven sees it. */
  public DeviceFacts device() {
    return backups.device();
  }

  /** The entries of a backup at or below {@code prefix}, at most {@code max} of them. */
  public record Files(List<ArchiveListing.Entry> entries, boolean truncated) {}

  /** The files of {@code slug} at or below {@code prefix}; stops reading after {@code max}. */
  public Files files(String slug, Optional<Secret> secret, String prefix, int max)
      throws IOException {
    List<ArchiveListing.Entry> entries = new ArrayList<>();
    try (BackupArchive archive = BackupArchive.open(backups.info(slug).file())) {
      ArchiveListing.list(archive, keys().opening(archive, secret), prefix, e -> {
        if (entries.size() == max) {
          throw new Enough();
        }
        entries.add(e);
      });
    } catch (Enough e) {
      return new Files(entries, true);
    }
    return new Files(entries, false);
  }

  /**
   * Opens the location {@code place} once, without retries (a download already sending bytes
   * cannot start again).
   */
  public Location openOnce(Place.Named place) throws IOException {
    if (offsite.isVault(place.name())) {
      throw new BadRequest("Location '" + place.name() + "' is a restic repository, which holds"
          + " no backup files to send. Make one from it with: haven export SLUG OUT.tar"
          + " --location " + place.name() + " --compat");
    }
    return Locations.open(offsite.spec(place.name()));
  }

  /**
   * What an automation needs at a glance: the state, the newest backup, the next scheduled one and
   * the last failed job's error (until a later job succeeds).
   */
  public ObjectNode status() throws IOException {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    Optional<Job> running = jobs.running();
    Optional<Job> lastDone = jobs.all().stream().filter(Job::isDone).findFirst();
    o.put("state", running.map(j -> j.name().contains("restore") ? "restoring" : "working")
        .orElse(lastDone.flatMap(Job::failure).isPresent() ? "error" : "idle"));
    running.ifPresent(j -> o.set("job", j.toJson()));
    List<StoredBackup> list = list().backups();
    o.put("backups", list.size());
    if (list.isEmpty()) {
      o.putNull("last_backup");
    } else {
      StoredBackup b = list.get(0);
      o.putObject("last_backup").put("slug", b.slug()).put("name", b.metadata().name())
          .put("date", b.metadata().date()).put("size_bytes", b.size());
    }
    o.put("next_backup", nextBackup().map(Instant::toString).orElse(null));
    Optional<Job> failed = lastDone.filter(j -> j.failure().isPresent());
    if (failed.isPresent()) {
      o.putObject("last_error").put("job", failed.get().name())
          .put("message", failed.get().failure().get().getMessage());
    } else {
      o.putNull("last_error");
    }
    return o;
  }

  /** The job of that id; fails NotFound. */
  public Job job(String uuid) throws IOException {
    return jobs.find(uuid).orElseThrow(() -> new StoreException.NotFound("No job '" + uuid
        + "'. GET /jobs/info lists the last " + Jobs.KEPT + " jobs."));
  }

  /**
   * Fails BadRequest naming the first place that is neither the backup directory nor a
   * registered location.
   */
  public void known(List<? extends Place> places) throws IOException {
    for (Place place : places) {
      if (place instanceof Place.Named n && offsite.registry().get(n.name()).isEmpty()) {
        List<String> names = new ArrayList<>(List.of(Place.LOCAL_NAME));
        offsite.registry().list().forEach(s -> names.add(s.name()));
        throw new BadRequest("Unknown location '" + n.name() + "'. Known locations: "
            + String.join(", ", names) + " (null or \"" + Place.LOCAL_NAME + "\" is the backup"
            + " directory). Add one with 'haven locations add'.");
      }
    }
  }

  /** The registered locations, by name. */
  public List<LocationSpec> locations() throws IOException {
    return offsite.registry().list();
  }

  /** Waits for a job to end. */
  public static void await(Job job) throws IOException {
    try {
      while (!job.await(Duration.ofMinutes(1))) {
        // a backup of a large data root may take hours; the caller chose to wait
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + job.label());
    }
  }

  /** Waits for the job; its result, or its failure thrown. */
  private static Object outcome(Job job) throws IOException {
    await(job);
    if (job.failure().isPresent()) {
      throw job.failure().get();
    }
    return job.result().orElseThrow();
  }

  /** Stops a listing once the answer is full; never seen outside this class. */
  private static final class Enough extends IOException {
    Enough() {
      super("listing is full");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // control flow, not a failure: no stack needed
    }
  }
}

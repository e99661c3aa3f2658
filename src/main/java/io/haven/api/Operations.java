package io.haven.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.haven.agent.Backups;
import io.haven.agent.Job;
import io.haven.agent.Jobs;
import io.haven.agent.OffsiteBackups;
import io.haven.agent.ScheduledRun;
import io.haven.archive.Compression;
import io.haven.archive.Secret;
import io.haven.archive.Verifier;
import io.haven.backup.BackupRequest;
import io.haven.backup.BackupResult;
import io.haven.restore.RestoreRequest;
import io.haven.store.BackupStore;
import io.haven.store.StoreException;
import io.haven.store.StoredBackup;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import io.haven.config.Config;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.ArrayList;
import java.util.List;
import java.time.Instant;
import java.io.InputStream;
import java.util.Optional;

/** The verbs the HTTP API and the socket share, as jobs where they are long. */
final class Operations {
  static final String FULL_BACKUP = "backup_manager_full_backup";
  static final String PARTIAL_BACKUP = "backup_manager_partial_backup";
  static final String FULL_RESTORE = "backup_manager_full_restore";
  static final String PARTIAL_RESTORE = "backup_manager_partial_restore";
  static final String IMPORT = "backup_manager_import_backup";
  static final String VERIFY = "haven_verify_backup";
  /** The Supervisor's stage for copies to the locations after the first. */
  static final String COPY_STAGE = "copy_additional_locations";
  /** The stage of a restore from a location that brings the backup into the backup directory. */

  private final Jobs jobs;
  private final Compression compression;
  private final OffsiteBackups offsite;
  // Set once the schedule's timer runs (it starts after the API serves).
  private volatile Supplier<Optional<Instant>> nextBackup = Optional::empty;
  // The web panel's settings: the file they are saved in (none: read-only), the config as last
  // saved, and who follows a change (the daemon's schedule).
  private volatile Optional<Path> settingsFile = Optional.empty();
  private volatile Config settings;
  private volatile Consumer<Config> onSettings = c -> { };

  Operations(Jobs jobs, Compression compression, OffsiteBackups offsite) {
    this.jobs = jobs;
    this.compression = compression;
    this.offsite = offsite;
    this.settings = offsite.config();
  }

  void settingsIn(Path file) {
    settingsFile = Optional.of(file);
  }

  Optional<Path> settingsFile() {
    return settingsFile;
  }

  void onSettings(Consumer<Config> listener) {
    onSettings = listener;
  }

  /** The configuration as the settings last left it. */
  Config settings() {
    return settings;
  }

  /** Takes the settings of {@code saved} (the file just written) and tells the schedule. */
  synchronized void settingsSaved(Config saved) {
    settings = settings.withSettingsOf(saved);
    onSettings.accept(settings);
  }

  OffsiteBackups offsite() {
    return offsite;
  }

  Jobs jobs() {
    return jobs;
  }

  void nextBackupFrom(Supplier<Optional<Instant>> next) {
    nextBackup = next;
  }

  /**
   * What an automation needs at a glance: the state, the newest backup, the next scheduled one and
   * the last failed job's error (until a later job succeeds).
   */
  ObjectNode status() throws IOException {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    Optional<Job> running = jobs.running();
    Optional<Job> lastDone = jobs.all().stream().filter(Job::isDone).findFirst();
    o.put("state", running.map(j -> j.name().contains("restore") ? "restoring" : "working")
        .orElse(lastDone.flatMap(Job::failure).isPresent() ? "error" : "idle"));
    running.ifPresent(j -> o.set("job", j.toJson()));
    List<StoredBackup> list = backups().list().backups();
    o.put("backups", list.size());
    if (list.isEmpty()) {
      o.putNull("last_backup");
    } else {
      StoredBackup b = list.get(0);
      o.putObject("last_backup").put("slug", b.slug()).put("name", b.metadata().name())
          .put("date", b.metadata().date()).put("size_bytes", b.size());
    }
    o.put("next_backup", nextBackup.get().map(Instant::toString).orElse(null));
    Optional<Job> failed = lastDone.filter(j -> j.failure().isPresent());
    if (failed.isPresent()) {
      o.putObject("last_error").put("job", failed.get().name())
          .put("message", failed.get().failure().get().getMessage());
    } else {
      o.putNull("last_error");
    }
    return o;
  }

  Backups backups() {
    return jobs.backups();
  }

  /**
   * Starts a backup; {@code full} empty means: full when the body names no part. The backup is
   * made in the backup directory, then copied to each other {@code location} of the body and
   * each copy verified, as {@code haven backups new -l NAME} does (the stage
   * {@value #COPY_STAGE}). A failed copy is one of the job's errors; the backup still succeeds
   * and stays in the backup directory, as the Supervisor keeps a backup whose copy failed.
   */
  Job startBackup(JsonNode body, Optional<Boolean> full) throws IOException {
    BackupRequest request = Wire.backupRequest(body, full, backups().root().present(),
        compression);
    List<String> copyTo = known(Wire.locations(body, List.of(ScheduledRun.LOCAL))).stream()
        .filter(l -> !l.equals(ScheduledRun.LOCAL)).toList();
    return jobs.start(request.isFull() ? FULL_BACKUP : PARTIAL_BACKUP, Optional.empty(),
        (session, job) -> {
          BackupResult r = session.create(request, job);
          if (!copyTo.isEmpty()) {
            job.stage(COPY_STAGE);
            for (OffsiteBackups.CopyOutcome o : offsite.copy(session, r.metadata().slug(),
                copyTo)) {
              o.failure().ifPresent(e -> job.capture(e, "Could not copy backup "
                  + r.metadata().slug() + " to " + o.location() + ": " + e.getMessage()
                  + " The backup is kept in the backup directory; copy it again with"
                  + " 'haven backups copy'."));
            }
          }
          return r;
        }, (BackupResult r) -> r.metadata().slug());
  }

  /**
   * The places as given when each is the backup directory or a registered location; fails
   * BadRequest naming the first unknown one.
   */
  List<String> known(List<String> places) throws IOException {
    for (String place : places) {
      if (!place.equals(ScheduledRun.LOCAL) && offsite.registry().get(place).isEmpty()) {
        List<String> names = new ArrayList<>(List.of(ScheduledRun.LOCAL));
        offsite.registry().list().forEach(s -> names.add(s.name()));
        throw new ApiException.BadRequest("Unknown location '" + place + "'. Known locations: "
            + String.join(", ", names) + " (null or \".local\" is the backup directory). Add"
            + " one with 'haven locations add'.");
      }
    }
    return places;
  }

  /**
   * Starts a restore of {@code slug}; fails NotFound at once when the backup directory does not
   * hold it. With a {@code location} in the body, the backup is restored from there as
   * {@code haven backups restore SLUG --from NAME} does: read where it lies on a {@code file://}
   * location, else first downloaded into the backup directory and checked (stage
   * "download_from_agent"); whether the location holds it is found out then.
   */
  Job startRestore(String slug, JsonNode body, Optional<Boolean> full) throws IOException {
    RestoreRequest request = Wire.restoreRequest(body, full);
    String from = known(List.of(Wire.restoreLocation(body))).get(0);
    if (from.equals(ScheduledRun.LOCAL)) {
      backups().info(slug);
    }
    return jobs.start(request.isFull() ? FULL_RESTORE : PARTIAL_RESTORE, Optional.of(slug),
        (session, job) -> from.equals(ScheduledRun.LOCAL)
            ? session.restore(slug, request, job, report -> job.preflight(report.toJson()))
            : offsite.restore(session, slug, from, request, job,
                report -> job.preflight(report.toJson())),
        r -> slug);
  }

  /**
   * Deletes {@code slug} from the places the body's {@code location} names, or, as the
   * Supervisor does without one, from every place known to hold it.
   */
  void remove(String slug, JsonNode body) throws IOException {
    List<String> places = known(Wire.locations(body, List.of()));
    offsite.remove(slug, places.isEmpty() ? offsite.placed(slug).places() : places);
  }

  /**
   * Starts reading every part of {@code slug} to its end; the job fails with the first problem
   * found (a wrong password, a damaged part). Fails NotFound at once when there is no such backup.
   */
  Job startVerify(String slug, Optional<Secret> secret) throws IOException {
    backups().info(slug);
    return jobs.start(VERIFY, Optional.of(slug), (session, job) -> {
      job.stage("verify");
      Verifier.Report report = backups().verify(slug, secret);
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
  Job upload(InputStream body, long length, Optional<String> fileName) throws IOException {
    return jobs.run(IMPORT, (session, job) -> {
      job.stage("upload");
      job.total(Math.max(0, length));
      return session.importUpload(body, fileName, job);
    }, StoredBackup::slug);
  }

  /** Rescans; when a job holds the lock, only lists (the cleanup waits for the next start). */
  BackupStore.Listing reload() throws IOException {
    try {
      return backups().reload();
    } catch (StoreException.Busy e) {
      return backups().list();
    }
  }

  Job job(String uuid) throws ApiException {
    return jobs.find(uuid).orElseThrow(() -> new ApiException.NoSuchCall("No job '" + uuid
        + "'. GET /jobs/info lists the last " + Jobs.KEPT + " jobs."));
  }

  /** Waits for a job to end; the caller answers with its result or failure. */
  static void await(Job job) throws IOException {
    try {
      while (!job.await(java.time.Duration.ofMinutes(1))) {
        // a backup of a large data root may take hours; the client chose to wait
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for " + job.label());
    }
  }
}

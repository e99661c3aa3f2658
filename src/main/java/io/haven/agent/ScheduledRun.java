package io.haven.agent;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.haven.archive.SecureTar;
import io.haven.backup.BackupCreator;
import io.haven.backup.BackupRequest;
import io.haven.backup.BackupResult;
import io.haven.config.Config;
import io.haven.archive.Part;
import io.haven.config.Offsite;
import io.haven.config.Offsite.ScheduleSettings;
import io.haven.device.ThreadPriority;
import io.haven.location.LocationSpec;
import io.haven.restore.Restorer;
import io.haven.store.AutomaticBackups;
import io.haven.store.JobLock;
import io.haven.tree.Progress;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * One cycle of automatic backups, which the daemon's timer calls: {@link #nextRun()} says when,
 * {@link #run()} then makes a full backup marked automatic for this instance, copies it to every
 * location whose schedule is due, and applies retention to the backup directory and every location.
 *
 * <p>The targets are the backup directory (on the global schedule) and each registered
 * location (on its own schedule, else the global one). State — first seen, jitter, last attempt and
 * completion per target — survives restarts, so a run missed while the device was off is made up
 * once (see {@link Schedule}).
 *
 * <p>{@link #run()} takes the job lock for each step itself; the agent, which runs the cycle as
 * one of its jobs, calls {@link #run(Backups.Session, Progress)} with the lock it already holds.
 */
public final class ScheduledRun {
  private final Config config;
  private final OffsiteBackups offsite;
  private final Clock clock;
  private final RandomGenerator random;
  private final String havenVersion;

  public ScheduledRun(Config config, OffsiteBackups offsite, Clock clock, RandomGenerator random,
      String havenVersion) {
    this.config = config;
    this.offsite = offsite;
    this.clock = clock;
    this.random = random;
    this.havenVersion = havenVersion;
  }

  /** What a cycle did; {@code backup} is empty when nothing was due or the backup failed. */
  public record Result(List<Place> due, Optional<String> backup,
      List<OffsiteBackups.CopyOutcome> copies, List<OffsiteBackups.Pruned> pruned,
      List<String> failures) {
    public boolean ok() {
      return failures.isEmpty();
    }
  }

  /** When automatic runs to a target (".local" or a location) last started and last completed. */
  public record History(Optional<Instant> attempted, Optional<Instant> completed) {
    /** True when the last run that started also completed (or none has started yet). */
    public boolean lastSucceeded() {
      return attempted.isEmpty() || completed.filter(c -> !c.isBefore(attempted.get())).isPresent();
    }
  }

  /** The history of {@code target} as the schedule's state file in {@code backupDir} keeps it. */
  public static History history(java.nio.file.Path backupDir, String target) throws IOException {
    ScheduleState state = ScheduleState.load(backupDir);
    return new History(state.lastAttempt(target), state.lastCompleted(target));
  }

  /** When the next cycle should run, or empty when no target has a schedule. */
  public Optional<ZonedDateTime> nextRun() throws IOException {
    ZonedDateTime now = clock.instant().atZone(clock.getZone());
    ScheduleState state = ScheduleState.load(config.backupDir());
    Map<String, Schedule> schedules = schedules(state);
    // Seen from now on, so the first slot after this call is due when run() comes at it.
    schedules.keySet().forEach(target -> state.since(target, now.toInstant()));
    Optional<ZonedDateTime> next = schedules.entrySet().stream()
        .map(e -> e.getValue().next(now, state.lastAttempt(e.getKey())))
        .flatMap(Optional::stream).min(Comparator.naturalOrder());
    state.save();
    return next;
  }

  /** Runs the cycle if a target is due now; a failure at one step is reported, not thrown. */
  public Result run() throws IOException {
    return run(Optional.empty(), Progress.NONE);
  }

  /**
   * As {@link #run()}, under the job lock {@code held} holds: the backup reports its stages and
   * bytes to {@code progress} (which may cancel it), and a failed backup is thrown, so the job
   * that runs the cycle shows why. Copy and retention failures are reported in the result.
   */
  public Result run(Backups.Session held, Progress progress) throws IOException {
    return run(Optional.of(held), progress);
  }

  private Result run(Optional<Backups.Session> held, Progress progress) throws IOException {
    if (config.offsite().schedule().lowPriority()) {
      // This thread and the ones the backup starts; a job's thread ends with the job.
      ThreadPriority.lowerCurrentThread();
    }
    Instant now = clock.instant();
    ZonedDateTime zoned = now.atZone(clock.getZone());
    ScheduleState state = ScheduleState.load(config.backupDir());
    List<Place> due = new ArrayList<>();
    schedules(state).forEach((target, schedule) -> {
      Instant since = state.lastAttempt(target).orElse(state.since(target, now));
      if (schedule.due(zoned, since)) {
        due.add(Place.of(target));
      }
    });
    if (due.isEmpty()) {
      state.save();
      return new Result(List.of(), Optional.empty(), List.of(), List.of(), List.of());
    }
    due.forEach(t -> state.attempted(t.key(), now));
    state.save();
    return cycle(due, state, now, held.isPresent(), progress);
  }

  private Result cycle(List<Place> due, ScheduleState state, Instant now, boolean locked,
      Progress progress) throws IOException {
    List<String> failures = new ArrayList<>();
    BackupResult backup;
    try {
      backup = locked ? createLocked(now, progress) : createAutomatic(now);
    } catch (IOException e) {
      if (locked) {
        throw e;
      }
      failures.add("backup: " + e.getMessage());
      return new Result(due, Optional.empty(), List.of(), List.of(), failures);
    }
    String slug = backup.metadata().slug();
    List<String> locations = due.stream().filter(t -> !t.isLocal()).map(Place::key).toList();
    List<OffsiteBackups.CopyOutcome> copies = locations.isEmpty() ? List.of()
        : locked ? offsite.copyLocked(slug, locations) : offsite.copy(slug, locations);
    state.completed(Place.LOCAL_NAME, now);
    for (OffsiteBackups.CopyOutcome c : copies) {
      if (c.failure().isPresent()) {
        failures.add(c.location() + ": " + c.failure().get().getMessage());
      } else {
        state.completed(c.location(), now);
      }
    }
    state.save();
    List<OffsiteBackups.Pruned> pruned = List.of();
    try {
      pruned = locked ? offsite.pruneLocked(false, offsite.registry().list().stream()
          .map(LocationSpec::name).toList()) : offsite.prune(false);
    } catch (IOException e) {
      failures.add("retention: " + e.getMessage());
    }
    return new Result(due, Optional.of(slug), copies, pruned, failures);
  }

  /** A full backup whose backup.json marks it automatic for this instance. */
  BackupResult createAutomatic(Instant now) throws IOException {
    Backups backups = offsite.backups();
    String job = "job " + UUID.randomUUID().toString().replace("-", "")
        + " (backup_manager_full_backup)";
    try (JobLock lock = JobLock.acquire(config.backupDir(), job)) {
      backups.store().removeLeftovers();
      Restorer.recover(backups.root());
      return createLocked(now, Progress.NONE);
    }
  }

  // The caller holds the job lock and has cleaned up after interrupted jobs.
  private BackupResult createLocked(Instant now, Progress progress) throws IOException {
    Backups backups = offsite.backups();
    String instanceId = offsite.instanceId();
    Offsite.Content content = config.offsite().content();
    BackupRequest request = new BackupRequest("Automatic backup " + now.toString().substring(0, 10),
        content.everything() ? List.of() : parts(content, backups.root().present()),
        Optional.empty(), config.compression(), SecureTar.Version.V3, !content.database(),
        Optional.empty(), config.excludes());
    backups.root().createIfMissing();
    BackupCreator creator = new BackupCreator(backups.root(), backups.store(), clock,
        havenVersion, () -> AutomaticBackups.mark(JsonNodeFactory.instance.objectNode(),
            instanceId), config.compressionWorkers());
    return creator.create(request, progress);
  }

  // Home Assistant always; the chosen folders and add-ons of those the data root holds.
  private static List<Part> parts(Offsite.Content content, List<Part> present) {
    return present.stream().filter(p -> switch (p.kind()) {
      case HOMEASSISTANT -> true;
      case FOLDER -> content.folders().map(f -> f.contains(p.id())).orElse(true);
      case ADDON -> content.addons().map(a -> a.contains(p.id())).orElse(true);
    }).toList();
  }

  private Map<String, Schedule> schedules(ScheduleState state) throws IOException {
    Map<String, Schedule> schedules = new LinkedHashMap<>();
    schedules.put(Place.LOCAL_NAME, schedule(Place.LOCAL_NAME, config.offsite().schedule(),
        state));
    for (LocationSpec spec : offsite.registry().list()) {
      schedules.put(spec.name(), schedule(spec.name(),
          config.offsite().scheduleOf(spec.name()), state));
    }
    return schedules;
  }

  private Schedule schedule(String target, ScheduleSettings settings, ScheduleState state) {
    Duration jitter = settings.time().isPresent() ? Duration.ZERO : state.jitter(target, random);
    return new Schedule(settings.recurrence(), settings.time().orElse(Schedule.DEFAULT_TIME),
        settings.days(), jitter);
  }
}

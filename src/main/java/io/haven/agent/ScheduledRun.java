package io.haven.agent;

import io.haven.archive.Compression;
import io.haven.archive.Part;
import io.haven.archive.SecureTar;
import io.haven.backup.BackupRequest;
import io.haven.backup.BackupResult;
import io.haven.config.Config;
import io.haven.config.Offsite;
import io.haven.config.Offsite.ScheduleSettings;
import io.haven.device.ThreadPriority;
import io.haven.location.LocationSpec;
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
    return cycle(due, state, now, held, progress);
  }

  private Result cycle(List<Place> due, ScheduleState state, Instant now,
      Optional<Backups.Session> held, Progress progress) throws IOException {
    List<String> failures = new ArrayList<>();
    boolean locked = held.isPresent();
    BackupResult backup;
    try {
      backup = locked ? create(held.get(), now, progress) : createAutomatic(now);
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
      pruned = (locked ? offsite.pruneLocked(false, offsite.registry().list().stream()
          .map(LocationSpec::name).toList()) : offsite.prune(false)).deleted();
    } catch (IOException e) {
      failures.add("retention: " + e.getMessage());
    }
    return new Result(due, Optional.of(slug), copies, pruned, failures);
  }

  /** A full backup whose backup.json marks it automatic for this instance. */
  BackupResult createAutomatic(Instant now) throws IOException {
    try (Backups.Session session = offsite.backups().open(Job.label(
        UUID.randomUUID().toString().replace("-", ""), "backup_manager_full_backup"))) {
      return create(session, now, Progress.NONE);
    }
  }

  /**
   * The backup of the content the settings choose, protected with the backup key as Home
   * Assistant protects its automatic backups since 2025.1: SecureTar v2 for gzip parts, which
   * Home Assistant itself restores, else v3 as for every new backup with a password.
   */
  private BackupResult create(Backups.Session session, Instant now, Progress progress)
      throws IOException {
    Backups backups = offsite.backups();
    Offsite.Content content = config.offsite().content();
    SecureTar.Version version = config.compression() == Compression.GZIP
        ? SecureTar.Version.V2 : SecureTar.Version.V3;
    BackupRequest request = new BackupRequest("Automatic backup " + now.toString().substring(0, 10),
        content.everything() ? List.of() : parts(content, backups.root().present()),
        Optional.of(backups.keys().password()), config.compression(), version,
        !content.database(), Optional.empty());
    return session.createAutomatic(request, offsite.instanceId(), progress);
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

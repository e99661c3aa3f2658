package io.haven.agent;

import io.haven.archive.Secret;
import io.haven.config.Config;
import io.haven.location.Location;
import io.haven.location.LocationException;
import io.haven.location.LocationRegistry;
import io.haven.location.LocationSpec;
import io.haven.location.Locations;
import io.haven.location.RetryingLocation;
import io.haven.restore.RestoreRequest;
import io.haven.restore.RestoreResult;
import io.haven.store.AutomaticBackups;
import io.haven.store.BackupStore;
import io.haven.store.JobLock;
import io.haven.store.OffsiteCopies;
import io.haven.store.RemoteCatalog;
import io.haven.store.Retention;
import io.haven.store.StoredBackup;
import io.haven.tree.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The offsite verbs on one configuration: copies of local backups to named locations, their
 * listing, restore from a location, removal, and retention. Every location is used through a
 * {@link RetryingLocation}. Jobs that change the backup directory or a location take the job lock.
 */
public final class OffsiteBackups {
  static final String INSTANCE_FILE = ".haven-instance-id";

  private final Config config;
  private final Backups backups;
  private final Clock clock;
  private final LocationRegistry registry;
  private final OffsiteCopies copies;

  public OffsiteBackups(Config config, Backups backups, Clock clock) {
    this.config = config;
    this.backups = backups;
    this.clock = clock;
    this.registry = new LocationRegistry(config.locationsFile());
    this.copies = new OffsiteCopies(backups.store(),
        new RemoteCatalog(config.backupDir()));
  }

  public LocationRegistry registry() {
    return registry;
  }

  public Backups backups() {
    return backups;
  }

  /** The outcome of copying to one location: the verified copy, or why it failed. */
  public record CopyOutcome(String location, Optional<OffsiteCopies.Copy> copy,
      Optional<IOException> failure) {}

  /** Opens the named location, retrying transient failures. */
  public Location open(String name) throws IOException {
    return new RetryingLocation(Locations.open(spec(name)));
  }

  public LocationSpec spec(String name) throws IOException {
    return registry.get(name).orElseThrow(() -> new LocationException.NotFound("No location named"
        + " '" + name + "' in " + config.locationsFile() + ". See 'haven locations list', or add"
        + " it with 'haven locations add'.", null));
  }

  /**
   * Copies the backup {@code slug} to each named location in turn. A failure at one location is
   * returned in its outcome and the others are still tried.
   */
  public List<CopyOutcome> copy(String slug, List<String> locations) throws IOException {
    try (JobLock lock = JobLock.acquire(config.backupDir(), job("backup_copy_to_location"))) {
      return copyLocked(slug, locations);
    }
  }

  /** {@link #copy} while the caller holds the job lock. */
  List<CopyOutcome> copyLocked(String slug, List<String> locations) throws IOException {
    StoredBackup backup = backups.store().get(slug);
    List<CopyOutcome> outcomes = new ArrayList<>();
    for (String name : locations) {
      outcomes.add(copyTo(backup, name));
    }
    return outcomes;
  }

  private CopyOutcome copyTo(StoredBackup backup, String name) {
    try (Location location = open(name)) {
      return new CopyOutcome(name, Optional.of(copies.copy(backup, name, location)),
          Optional.empty());
    } catch (IOException e) {
      return new CopyOutcome(name, Optional.empty(), Optional.of(e));
    }
  }

  public OffsiteCopies.RemoteListing list(String locationName) throws IOException {
    try (Location location = open(locationName)) {
      return copies.list(locationName, location);
    }
  }

  /**
   * Downloads the backup {@code slug} from the location into the backup directory (under a
   * temporary name, verified, then renamed) and restores it through the normal restore.
   */
  public RestoreResult restore(String slug, String locationName, RestoreRequest request,
      Progress progress) throws IOException {
    Optional<Secret> secret = request.secret();
    try (JobLock lock = JobLock.acquire(config.backupDir(), job("download_from_agent"));
        Location location = open(locationName)) {
      progress.stage("download_from_agent");
      copies.download(locationName, location, slug, secret);
    }
    return backups.restore(slug, request, progress);
  }

  public void remove(String slug, String locationName) throws IOException {
    try (JobLock lock = JobLock.acquire(config.backupDir(), job("backup_manager_remove"));
        Location location = open(locationName)) {
      copies.remove(locationName, location, slug);
    }
  }

  /** One backup retention deleted, or would delete in a dry run. */
  public record Pruned(String place, String slug, String date) {}

  /**
   * Applies retention now to the backup directory (".local") and each registered location, each
   * with its own or the global retention. With {@code dryRun} nothing is deleted.
   */
  public List<Pruned> prune(boolean dryRun) throws IOException {
    try (JobLock lock = JobLock.acquire(config.backupDir(), job("backup_prune"))) {
      return pruneLocked(dryRun, registry.list().stream().map(LocationSpec::name).toList());
    }
  }

  /** {@link #prune} for the given locations, while the caller holds the job lock. */
  List<Pruned> pruneLocked(boolean dryRun, List<String> locations) throws IOException {
    List<Pruned> pruned = new ArrayList<>(pruneLocal(dryRun));
    for (String name : locations) {
      pruned.addAll(pruneLocation(name, dryRun));
    }
    return pruned;
  }

  private List<Pruned> pruneLocal(boolean dryRun) throws IOException {
    BackupStore store = backups.store();
    String id = instanceId();
    List<Retention.Candidate> all = store.list().backups().stream()
        .map(b -> candidate(b.slug(), b.metadata().date(),
            AutomaticBackups.isAutomatic(b.metadata(), id))).toList();
    List<Pruned> pruned = new ArrayList<>();
    for (Retention.Candidate c : retention(config.offsite().retention()).toDelete(all,
        clock.instant())) {
      if (!dryRun) {
        store.remove(c.slug());
      }
      pruned.add(new Pruned(".local", c.slug(), c.date().toString()));
    }
    return pruned;
  }

  private List<Pruned> pruneLocation(String name, boolean dryRun) throws IOException {
    String id = instanceId();
    Retention retention = retention(config.offsite().retentionOf(name));
    List<Pruned> pruned = new ArrayList<>();
    try (Location location = open(name)) {
      List<Retention.Candidate> all = copies.list(name, location).backups().stream()
          .map(b -> candidate(b.slug(), b.metadata().date(),
              AutomaticBackups.isAutomatic(b.metadata(), id))).toList();
      for (Retention.Candidate c : retention.toDelete(all, clock.instant())) {
        if (!dryRun) {
          copies.remove(name, location, c.slug());
        }
        pruned.add(new Pruned(name, c.slug(), c.date().toString()));
      }
    }
    return pruned;
  }

  private static Retention.Candidate candidate(String slug, String date, boolean automatic) {
    return new Retention.Candidate(slug, OffsetDateTime.parse(date).toInstant(), automatic);
  }

  static Retention retention(io.haven.config.Offsite.RetentionSettings settings) {
    return new Retention(settings.copies(), settings.days(), new Retention.Generations(
        settings.daily(), settings.weekly(), settings.monthly(), settings.yearly()));
  }

  /**
   * This installation's id, which marks its automatic backups (Home Assistant's instance_id):
   * made once and kept in the backup directory.
   */
  public String instanceId() throws IOException {
    Path file = config.backupDir().resolve(INSTANCE_FILE);
    if (Files.isRegularFile(file)) {
      String id = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (!id.isEmpty()) {
        return id;
      }
    }
    Files.createDirectories(config.backupDir());
    String id = UUID.randomUUID().toString().replace("-", "");
    Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
    return id;
  }

  private static String job(String name) {
    return "job " + UUID.randomUUID().toString().replace("-", "") + " (" + name + ")";
  }
}

package io.haven.agent;

import io.haven.archive.BackupArchive;
import io.haven.archive.BackupSource;
import io.haven.archive.Compression;
import io.haven.archive.SecureTar;
import io.haven.archive.Secret;
import io.haven.config.Config;
import io.haven.config.Offsite;
import io.haven.failure.Sizes;
import io.haven.location.IoConsumer;
import io.haven.location.IoFunction;
import io.haven.location.Location;
import io.haven.location.LocationException;
import io.haven.location.LocationRegistry;
import io.haven.location.LocationSpec;
import io.haven.location.Locations;
import io.haven.location.RetryingLocation;
import io.haven.restore.PreflightReport;
import io.haven.restore.RestoreRequest;
import io.haven.restic.Checker;
import io.haven.restic.Vault;
import io.haven.restore.RestoreResult;
import io.haven.store.AutomaticBackups;
import io.haven.store.BackupStore;
import io.haven.store.JobLock;
import io.haven.store.OffsiteCopies;
import io.haven.store.RemoteCatalog;
import io.haven.store.Retention;
import io.haven.store.StoreException;
import io.haven.store.StoredBackup;
import io.haven.tree.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offsite verbs on one configuration: copies of local backups to named locations, their
 * listing, restore from a location, removal, and retention. Every location of archives is used
 * through a {@link RetryingLocation}; a location that is a restic repository ({@link Vault})
 * holds each backup as a snapshot instead, and the same verbs go to it. Jobs that change the
 * backup directory or a location take the job lock.
 */
public final class OffsiteBackups {
  private static final Logger LOG = LoggerFactory.getLogger(OffsiteBackups.class);
  static final String INSTANCE_FILE = ".haven-instance-id";
  /** Where a restic repository's packs wait to be sent, and its index is kept, on this device. */
  static final String VAULT_SPOOL = ".haven-restic";
  /**
   * Where a restic repository's unlocked master key is kept: beside the locations file that holds
   * its password, not in the backup directory, which Home Assistant's add-ons may share.
   */
  static final String VAULT_KEYS = "restic-keys";

  private final Config config;
  private final Backups backups;
  private final Clock clock;
  private final LocationRegistry registry;
  private final RemoteCatalog catalog;
  private final OffsiteCopies copies;

  public OffsiteBackups(Config config, Backups backups, Clock clock) {
    this.config = config;
    this.backups = backups;
    this.clock = clock;
    this.registry = new LocationRegistry(config.locationsFile());
    this.catalog = new RemoteCatalog(config.backupDir());
    this.copies = new OffsiteCopies(backups.store(), catalog);
  }

  /** The backup encryption key copies are encrypted with. */
  public BackupKeys keys() {
    return backups.keys();
  }

  public Config config() {
    return config;
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

  /**
   * Opens the named location that is a restic repository; with {@code create}, makes an empty
   * one where there is none (for {@code locations add}).
   */
  public Vault vault(LocationSpec spec, boolean create) throws IOException {
    return Vault.open(spec, config.backupDir().resolve(VAULT_SPOOL), vaultKeys(), create);
  }

  private Path vaultKeys() {
    return config.locationsFile().toAbsolutePath().resolveSibling(VAULT_KEYS);
  }

  /**
   * Forgets the named location, and the master key kept for it if it is a restic repository; its
   * backups stay where they are. Returns false if there was no such location.
   */
  public boolean removeLocation(String name) throws IOException {
    Optional<LocationSpec> spec = registry.get(name);
    if (spec.isEmpty() || !registry.remove(name)) {
      return false;
    }
    if (Vault.holds(spec.get())) {
      Vault.forgetKey(spec.get(), vaultKeys());
    }
    return true;
  }

  /**
   * Readies a location about to be added: a restic repository is opened with its password, or
   * made where there is none yet; other kinds are not contacted. Says what was done, if anything.
   */
  public Optional<String> prepare(LocationSpec spec) throws IOException {
    if (!Vault.holds(spec)) {
      return Optional.empty();
    }
    try (Vault vault = vault(spec, true)) {
      return Optional.of(vault.created() ? "Made an empty " + vault.describe() + "."
          : "Opened the " + vault.describe() + ": it holds " + vault.list().size()
              + " backups.");
    }
  }

  /** What a check of a restic repository found; {@code notes} are harmless. */
  public record RepositoryCheck(String repository, List<String> errors, List<String> notes) {
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  /**
   * restic's check of the named location that is a restic repository: its structure, and with
   * {@code readData} every blob of every pack, so a damaged pack is named.
   */
  public RepositoryCheck check(String name, boolean readData) throws IOException {
    if (!isVault(name)) {
      throw new BadRequest("Location '" + name + "' holds backup files, not a restic"
          + " repository; verify one of its backups after a copy here, or name the backup.");
    }
    try (Vault vault = vault(spec(name), false)) {
      Checker.Report r = vault.check(readData);
      return new RepositoryCheck(vault.describe(), r.errors(), r.notes());
    }
  }

  /**
   * Gives {@code reader} the backup {@code slug} of the named location that is a restic
   * repository, streamed from its snapshot (for an export); the repository is closed after.
   */
  public <T> T read(String name, String slug, IoFunction<BackupSource, T> reader)
      throws IOException {
    if (!isVault(name)) {
      throw new BadRequest("Location '" + name + "' holds backup files: restore or download"
          + " the backup from there, then export the file.");
    }
    try (Vault vault = vault(spec(name), false)) {
      return reader.apply(vault.source(slug));
    }
  }

  /** Whether the named location is a restic repository. */
  public boolean isVault(String name) throws IOException {
    return Vault.holds(spec(name));
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

  /** {@link #copy} inside a job, which holds the job lock as {@code held}. */
  public List<CopyOutcome> copy(Backups.Session held, String slug, List<String> locations)
      throws IOException {
    return copyLocked(slug, locations);
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
    try {
      if (isVault(name)) {
        return new CopyOutcome(name, Optional.of(copyToVault(backup, name)), Optional.empty());
      }
    } catch (IOException e) {
      return new CopyOutcome(name, Optional.empty(), Optional.of(e));
    }
    try (Location location = open(name)) {
      OffsiteCopies.Copy copy = encrypts(spec(name)) && !backup.metadata().isProtected()
          ? copies.copyProtected(backup, name, location, versionFor(backup), keys().password(),
              clock.instant())
          : copies.copy(backup, name, location);
      return new CopyOutcome(name, Optional.of(copy), Optional.empty());
    } catch (IOException e) {
      return new CopyOutcome(name, Optional.empty(), Optional.of(e));
    }
  }

  // A protected backup is opened with the kept key: the repository encrypts it with its own.
  private OffsiteCopies.Copy copyToVault(StoredBackup backup, String name) throws IOException {
    try (Vault vault = vault(spec(name), false);
        BackupArchive archive = BackupArchive.open(backup.file())) {
      Vault.Held held = vault.copy(archive, keys().opening(archive, Optional.empty()));
      remember(name, vault.list());
      return new OffsiteCopies.Copy(name, "snapshot " + held.snapshot(), held.size(), "", false);
    }
  }

  /**
   * Keeps what a restic repository holds in the catalog, as copies to other locations are kept,
   * so the listing of every place (and the API's location fields) shows its backups.
   */
  private List<Vault.Held> remember(String name, List<Vault.Held> held) throws IOException {
    for (RemoteCatalog.Known k : catalog.all()) {
      if (k.location().equals(name)) {
        catalog.forget(name, k.name());
      }
    }
    for (Vault.Held h : held) {
      catalog.put(name, "snapshot " + h.snapshot(), new RemoteCatalog.Entry(h.size(),
          h.metadata(), Optional.empty()));
    }
    return held;
  }

  /** The location option that turns the key's encryption of copies off: encrypt=false. */
  public static final String ENCRYPT = "encrypt";

  /**
   * Whether copies to {@code spec} are encrypted with the key, as Home Assistant encrypts every
   * backup leaving the device since 2025.1; a location says {@code encrypt=false} to have them as
   * they are.
   */
  static boolean encrypts(LocationSpec spec) throws IOException {
    String value = spec.option(ENCRYPT).orElse("true");
    if (!value.equals("true") && !value.equals("false")) {
      throw new BadRequest("Location '" + spec.name() + "': encrypt must be true or false, not '"
          + value + "'. Change it with: haven locations set " + spec.name()
          + " --option encrypt=false");
    }
    return value.equals("true");
  }

  // A backup in Home Assistant's form (gzip parts) stays one Home Assistant 2025.1 and later
  // restores: SecureTar v2; Haven's own form gets v3, as a new backup with a password does.
  private static SecureTar.Version versionFor(StoredBackup backup) {
    boolean gzip = backup.metadata().haven().map(h -> h.compression() == Compression.GZIP)
        .orElse(true);
    return gzip ? SecureTar.Version.V2 : SecureTar.Version.V3;
  }

  public OffsiteCopies.RemoteListing list(String locationName) throws IOException {
    if (isVault(locationName)) {
      try (Vault vault = vault(spec(locationName), false)) {
        List<Vault.Held> held = remember(locationName, vault.list());
        return new OffsiteCopies.RemoteListing(held.stream().map(h -> new OffsiteCopies
            .RemoteBackup("snapshot " + h.snapshot(), h.size(), h.metadata(), false)).toList(),
            List.of());
      }
    }
    try (Location location = open(locationName)) {
      return copies.list(locationName, location);
    }
  }

  /**
   * Restores the backup {@code slug} from the location, inside a job that holds the job lock as
   * {@code held}. Where the location keeps its objects as files on this machine ({@code file://}:
   * a local disk, an NFS or CIFS mount) the archive is read where it lies and nothing is copied
   * into the backup directory. Elsewhere it is first downloaded into the backup directory (under
   * a temporary name, checked, then renamed) and restored from there. Either way the restore
   * checks every part before the data root changes. The preflight's report goes to
   * {@code onPreflight}.
   */
  public RestoreResult restore(Backups.Session held, String slug, String locationName,
      RestoreRequest request, Progress progress, Consumer<PreflightReport> onPreflight)
      throws IOException {
    if (isVault(locationName)) {
      try (Vault vault = vault(spec(locationName), false)) {
        return held.restore(vault.source(slug), request, progress, onPreflight);
      }
    }
    try (Location location = open(locationName)) {
      Optional<Path> inPlace = copies.localFile(locationName, location, slug);
      if (inPlace.isPresent()) {
        return held.restore(inPlace.get(), request, progress, onPreflight);
      }
      progress.stage("download_from_agent");
      copies.download(locationName, location, slug, request.secret());
    }
    return held.restore(slug, request, progress, onPreflight);
  }

  /**
   * Deletes the backup {@code slug} from each of {@code places}, one after another under one
   * job lock; stops at the first failure.
   */
  public void remove(String slug, List<Place> places) throws IOException {
    try (JobLock lock = JobLock.acquire(config.backupDir(), job("backup_manager_remove"))) {
      for (Place place : places) {
        if (place instanceof Place.Named n && isVault(n.name())) {
          try (Vault vault = vault(spec(n.name()), false)) {
            vault.remove(slug);
            remember(n.name(), vault.list());
          }
          continue;
        }
        if (place instanceof Place.Named n) {
          try (Location location = open(n.name())) {
            copies.remove(n.name(), location, slug);
          }
          continue;
        }
        StoredBackup b = backups.store().get(slug);
        backups.store().remove(slug);
        backups.verifications().forget(b);
      }
    }
  }

  /**
   * Every backup the backup directory holds or a registered location is known to hold, newest
   * first, with all its places. What is known of locations is what Haven last saw there (its
   * copies, listings and removals); no location is asked, so this is as quick as a local list.
   */
  public List<PlacedBackup> placed() throws IOException {
    Map<String, PlacedBackup> bySlug = new LinkedHashMap<>();
    for (StoredBackup b : backups.store().list().backups()) {
      bySlug.put(b.slug(), PlacedBackup.local(b));
    }
    Set<String> registered = new HashSet<>();
    registry.list().forEach(spec -> registered.add(spec.name()));
    for (RemoteCatalog.Known k : catalog.all()) {
      if (!registered.contains(k.location())) {
        continue; // a location removed from the registry holds nothing Haven can reach
      }
      PlacedBackup known = bySlug.get(k.entry().metadata().slug());
      Map<Place, Long> sizes = new HashMap<>(known == null ? Map.of() : known.sizes());
      sizes.put(Place.of(k.location()), k.entry().size());
      bySlug.put(k.entry().metadata().slug(), new PlacedBackup(known == null
          ? k.entry().metadata() : known.metadata(), known == null ? k.name() : known.fileName(),
          sizes));
    }
    List<PlacedBackup> all = new ArrayList<>(bySlug.values());
    all.sort(Comparator.comparing((PlacedBackup b) -> b.metadata().date()).reversed());
    return all;
  }

  /** The backup {@code slug} with all its places, as {@link #placed()}; fails NotFound. */
  public PlacedBackup placed(String slug) throws IOException {
    PlacedBackup b = placed().stream().filter(p -> p.slug().equals(slug)).findFirst()
        .orElseThrow(() -> new StoreException.NotFound("No backup '" + slug + "' in "
            + config.backupDir() + " or a registered location. GET /backups lists them."));
    if (!b.sizes().containsKey(Place.LOCAL)) {
      return b;
    }
    return new PlacedBackup(backups.store().get(slug).metadata(), b.fileName(), b.sizes());
  }

  /** One backup retention deleted, or would delete in a dry run. */
  public record Pruned(Place place, String slug, String date) {}

  /** What a prune of a restic location's unused data freed there. */
  public record Freed(String location, Vault.Reclaimed reclaimed) {}

  /** The backups retention deleted, and what the restic locations' prunes freed after. */
  public record PruneResult(List<Pruned> deleted, List<Freed> freed) {}

  /**
   * Applies retention now to the backup directory and each registered location, each
   * with its own or the global retention; a restic location then drops the data no backup
   * there uses any more (restic's forget, then its prune). With {@code dryRun} nothing is
   * deleted.
   */
  public PruneResult prune(boolean dryRun) throws IOException {
    try (JobLock lock = JobLock.acquire(config.backupDir(), job("backup_prune"))) {
      return pruneLocked(dryRun, registry.list().stream().map(LocationSpec::name).toList());
    }
  }

  /**
   * {@link #prune} of the one location {@code name}; the backup directory and the other
   * locations are left as they are.
   */
  public PruneResult prune(boolean dryRun, String name) throws IOException {
    spec(name); // an unknown name is refused before anything is deleted
    try (JobLock lock = JobLock.acquire(config.backupDir(), job("backup_prune"))) {
      List<Freed> freed = new ArrayList<>();
      return new PruneResult(pruneLocation(name, dryRun, freed::add), freed);
    }
  }

  /** {@link #prune} for the given locations, while the caller holds the job lock. */
  PruneResult pruneLocked(boolean dryRun, List<String> locations) throws IOException {
    List<Pruned> pruned = new ArrayList<>(pruneLocal(dryRun));
    List<Freed> freed = new ArrayList<>();
    for (String name : locations) {
      pruned.addAll(pruneLocation(name, dryRun, freed::add));
    }
    return new PruneResult(pruned, freed);
  }

  private List<Pruned> pruneLocal(boolean dryRun) throws IOException {
    BackupStore store = backups.store();
    String id = instanceId();
    List<Retention.Candidate> all = store.list().backups().stream()
        .map(b -> candidate(b.slug(), b.metadata().date(),
            AutomaticBackups.isAutomatic(b.metadata(), id), backups.verifications().of(b)))
        .toList();
    List<Pruned> pruned = new ArrayList<>();
    for (Retention.Candidate c : retention(config.offsite().retention()).toDelete(all,
        clock.instant())) {
      if (!dryRun) {
        store.remove(c.slug());
      }
      pruned.add(new Pruned(Place.LOCAL, c.slug(), c.date().toString()));
    }
    return pruned;
  }

  private List<Pruned> pruneLocation(String name, boolean dryRun, Consumer<Freed> freed)
      throws IOException {
    String id = instanceId();
    List<Retention.Candidate> all = new ArrayList<>();
    if (isVault(name)) {
      try (Vault vault = vault(spec(name), false)) {
        for (Vault.Held h : vault.list()) {
          all.add(candidate(h.metadata().slug(), h.metadata().date(),
              AutomaticBackups.isAutomatic(h.metadata(), id), Retention.Verified.UNKNOWN));
        }
        List<Pruned> pruned = prune(name, all, dryRun, vault::remove);
        if (!dryRun) {
          Vault.Reclaimed r = vault.prune();
          LOG.info("Dropped the data no backup uses any more in {}: {} freed ({} packs deleted,"
              + " {} repacked)", name, Sizes.human(r.bytesFreed()), r.packsDeleted(),
              r.packsRepacked());
          freed.accept(new Freed(name, r));
        }
        remember(name, vault.list());
        return pruned;
      }
    }
    try (Location location = open(name)) {
      for (OffsiteCopies.RemoteBackup b : copies.list(name, location).backups()) {
        all.add(candidate(b.slug(), b.metadata().date(),
            AutomaticBackups.isAutomatic(b.metadata(), id), remoteVerified(b)));
      }
      return prune(name, all, dryRun, slug -> copies.remove(name, location, slug));
    }
  }

  private List<Pruned> prune(String name, List<Retention.Candidate> all, boolean dryRun,
      IoConsumer<String> remove) throws IOException {
    List<Pruned> pruned = new ArrayList<>();
    for (Retention.Candidate c : retention(config.offsite().retentionOf(name)).toDelete(all,
        clock.instant())) {
      if (!dryRun) {
        remove.accept(c.slug());
      }
      pruned.add(new Pruned(Place.of(name), c.slug(), c.date().toString()));
    }
    return pruned;
  }

  private static Retention.Candidate candidate(String slug, String date, boolean automatic,
      Retention.Verified verified) {
    return new Retention.Candidate(slug, OffsetDateTime.parse(date).toInstant(), automatic,
        verified);
  }

  /**
   * A copy read back with the SHA-256 Haven sent is good, unless a verify found the local file
   * it was copied from (same name and size, unchanged since) damaged: then the copy is too.
   */
  private Retention.Verified remoteVerified(OffsiteCopies.RemoteBackup b) throws IOException {
    if (!b.verified()) {
      return Retention.Verified.UNKNOWN;
    }
    Optional<StoredBackup> local = backups.store().find(b.slug())
        .filter(l -> l.size() == b.size() && l.file().getFileName().toString().equals(b.name()));
    boolean localBad = local.isPresent()
        && backups.verifications().of(local.get()) == Retention.Verified.BAD;
    return localBad ? Retention.Verified.BAD : Retention.Verified.GOOD;
  }

  static Retention retention(Offsite.RetentionSettings settings) {
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

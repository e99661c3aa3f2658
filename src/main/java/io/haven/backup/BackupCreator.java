package io.haven.backup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.archive.AddonInfo;
import io.haven.archive.BackupMetadata;
import io.haven.archive.BackupWriter;
import io.haven.archive.Compression;
import io.haven.archive.HomeAssistantInfo;
import io.haven.archive.Part;
import io.haven.archive.PartOutput;
import io.haven.archive.SecureTar;
import io.haven.archive.Slug;
import io.haven.failure.NotEnoughSpace;
import io.haven.store.BackupStore;
import io.haven.store.PendingArchive;
import io.haven.store.StoreException;
import io.haven.tree.DataRoot;
import io.haven.tree.Excludes;
import io.haven.tree.Progress;
import io.haven.tree.TreeArchiver;
import io.haven.tree.TreeWalk;
import io.haven.tree.Warnings;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Makes a backup of the data root into the backup directory. Parts are streamed straight into
 * the archive (no copy of the data first, except the recorder database's consistent snapshot);
 * the file is written under a temporary name, forced to disk and renamed, so a failure or kill at
 * any point leaves no file that looks like a backup.
 */
public final class BackupCreator {
  static final String DATABASE = "home-assistant_v2.db";

  private final DataRoot root;
  private final BackupStore store;
  private final Clock clock;
  private final String havenVersion;
  private final Supplier<ObjectNode> sourceFacts;
  private final int compressionWorkers;
  private final ServiceHooks hooks;

  /**
   * @param sourceFacts what is known of this device (disks, radios), stored in extra.haven.source
   */
  public BackupCreator(DataRoot root, BackupStore store, Clock clock, String havenVersion,
      Supplier<ObjectNode> sourceFacts, int compressionWorkers) {
    this(root, store, clock, havenVersion, sourceFacts, compressionWorkers, null);
  }

  private BackupCreator(DataRoot root, BackupStore store, Clock clock, String havenVersion,
      Supplier<ObjectNode> sourceFacts, int compressionWorkers, ServiceHooks hooks) {
    this.hooks = hooks;
    this.root = root;
    this.store = store;
    this.clock = clock;
    this.havenVersion = havenVersion;
    this.sourceFacts = sourceFacts;
    this.compressionWorkers = compressionWorkers;
  }

  /** This creator stopping each add-on marked {@code backup: cold} while its part is written. */
  public BackupCreator withHooks(ServiceHooks serviceHooks) {
    return new BackupCreator(root, store, clock, havenVersion, sourceFacts, compressionWorkers,
        serviceHooks);
  }

  public BackupResult create(BackupRequest request, Progress progress) throws IOException {
    List<Part> parts = request.isFull() ? root.present() : request.parts();
    for (Part p : parts) {
      if (!Files.isDirectory(root.dirOf(p))) {
        // The user named a part this device does not have: theirs to correct, not a bug.
        throw new StoreException.NotFound("Nothing to back up for '" + p + "': "
            + root.dirOf(p) + " does not exist. Leave it out, or check data_root.");
      }
    }
    Instant now = clock.instant();
    String date = Slug.date(now);
    String name = request.name().isBlank() ? "Haven backup " + date.substring(0, 16) : request.name();
    String slug = Slug.of(date, name);
    Warnings warnings = new Warnings();
    Predicate<Path> skip = this::isHavenOwn;
    long total = measure(parts, request, skip, warnings);
    progress.total(total);
    checkSpace(total);

    try (PendingArchive pending = store.begin(request.fileName().orElse(slug + ".tar"), slug);
        DatabaseSnapshot snapshot = startSnapshot(parts, request)) {
      try (BackupWriter writer = BackupWriter.create(pending.path(), options(request), now)) {
        List<AddonInfo> addons = new ArrayList<>();
        for (Part part : parts) {
          progress.stage(part.stage());
          progress.part(part.id());
          Work write = () -> {
            try (PartOutput out = writer.beginPart(part)) {
              writePart(part, out, request, snapshot, progress, warnings, skip, addons);
            }
            return null;
          };
          if (hooks == null) {
            write.run();
          } else {
            hooks.aroundBackupOf(part, write);
          }
        }
        progress.stage("finishing_file");
        BackupMetadata metadata = writer.finish(
            metadata(request, parts, slug, name, date, addons), havenVersion, source(total),
            request.excludes());
        // Files gone while read are warnings; a whole folder gone means an archive of
        // almost nothing, which must not look like a backup.
        Optional<IOException> gone = vanished(parts);
        if (gone.isPresent()) {
          throw gone.get();
        }
        Path file = pending.commit();
        return new BackupResult(file, metadata, Files.size(file), warnings.messages());
      } catch (IOException e) {
        throw diskFull(e).or(() -> vanished(parts)).orElseThrow(() -> e);
      }
    }
  }

  private DatabaseSnapshot startSnapshot(List<Part> parts, BackupRequest request)
      throws IOException {
    if (!parts.contains(Part.homeAssistant()) || !includesDatabase(request)) {
      return null;
    }
    return DatabaseSnapshot.start(root.dirOf(Part.homeAssistant()).resolve(DATABASE));
  }

  private interface Work extends ServiceHooks.Work<Void> {}

  private BackupWriter.Options options(BackupRequest r) {
    Optional<SecureTar.Writer> enc = r.password().map(p -> SecureTar.writer(r.encryption(), p));
    return new BackupWriter.Options(r.compression(), enc, compressionWorkers);
  }

  private boolean includesDatabase(BackupRequest r) {
    return !r.excludeDatabase()
        && Files.isRegularFile(root.dirOf(Part.homeAssistant()).resolve(DATABASE));
  }

  private void writePart(Part part, PartOutput out, BackupRequest request,
      DatabaseSnapshot snapshot,
      Progress progress, Warnings warnings, Predicate<Path> skip, List<AddonInfo> addons)
      throws IOException {
    Path dir = root.dirOf(part);
    // The part's own description carries its directory's time, not the clock's: the tar of an
    // unchanged directory is then the same byte for byte, which a restic location takes over
    // whole instead of reading it again.
    FileTime described = Files.getLastModifiedTime(dir);
    Excludes excludes = excludesFor(part, request);
    Map<String, TreeArchiver.Substitute> substitutes = Map.of();
    if (snapshot != null && part.kind() == Part.Kind.HOMEASSISTANT) {
      // Read in place, the database and its WAL change under the snapshot by design: not a
      // warning.
      Path db = dir.resolve(DATABASE);
      substitutes = Map.of(DATABASE, () -> db, DATABASE + "-wal", snapshot::wal);
    }
    TreeWalk walk = new TreeWalk(excludes, skip, warnings);
    TreeArchiver archiver = new TreeArchiver(walk, substitutes, progress, warnings);
    switch (part.kind()) {
      case HOMEASSISTANT:
        // Home Assistant's layout: settings beside the config, which sits under data/.
        TreeArchiver.putRoot(dir, "./", out.entries());
        TreeArchiver.putBytes(out.entries(), "./homeassistant.json", HomeAssistantJson.of(
            homeAssistantVersion(), request.excludeDatabase()), described);
        archiver.archive(dir, "data/", out.entries());
        break;
      case ADDON:
        AddonJson addon = AddonJson.read(dir, part.id());
        addons.add(addon.info());
        TreeArchiver.putRoot(dir, "./", out.entries());
        TreeArchiver.putBytes(out.entries(), "./addon.json", addon.bytes(), described);
        archiver.archive(dir, "data/", out.entries());
        break;
      default:
        archiver.archive(dir, "./", out.entries());
    }
  }

  private Excludes excludesFor(Part part, BackupRequest request) {
    return excludesFor(root, part, request.excludeDatabase(), request.excludes());
  }

  /**
   * What a backup of {@code part} leaves out: Home Assistant's excludes and the user's own
   * {@code userGlobs} that reach into it; the size estimate uses the same.
   */
  static Excludes excludesFor(DataRoot root, Part part, boolean excludeDatabase,
      List<String> userGlobs) {
    return haExcludesFor(part, excludeDatabase).plusUser(partDir(root, part), userGlobs);
  }

  /** The user's own {@code userGlobs} that reach into {@code part}, alone. */
  static Excludes userExcludesFor(DataRoot root, Part part, List<String> userGlobs) {
    return Excludes.NONE.plusUser(partDir(root, part), userGlobs);
  }

  private static String partDir(DataRoot root, Part part) {
    return root.path().relativize(root.dirOf(part)).toString();
  }

  private static Excludes haExcludesFor(Part part, boolean excludeDatabase) {
    if (part.kind() != Part.Kind.HOMEASSISTANT) {
      return Excludes.NONE;
    }
    Excludes e = Excludes.of(Excludes.HOME_ASSISTANT);
    if (excludeDatabase) {
      return e.plus(Excludes.DATABASE);
    }
    // A rollback journal beside a consistent database would undo part of it when opened.
    return e.plus(List.of(DATABASE + "-journal"));
  }

  // Haven's working files and the backup directory are never inside a backup.
  private boolean isHavenOwn(Path p) {
    String name = p.getFileName().toString(); // once: this is asked for every walked entry
    return name.startsWith(DataRoot.RESERVED_PREFIX) || name.startsWith(BackupStore.TEMP_PREFIX)
        || p.equals(store.dir());
  }

  private long measure(List<Part> parts, BackupRequest request, Predicate<Path> skip,
      Warnings warnings) throws IOException {
    long total = 0;
    for (Part p : parts) {
      total += new TreeWalk(excludesFor(p, request), skip, new Warnings())
          .measure(root.dirOf(p)).bytes();
    }
    return total;
  }

  // Compression rarely grows data, so the sizes read bound the archive.
  private void checkSpace(long total) throws IOException {
    store.createDirectory();
    long needed = spaceNeeded(total);
    FileStore fs = Files.getFileStore(store.dir());
    long free = fs.getUsableSpace();
    if (free < needed) {
      throw new NotEnoughSpace("the backup", store.dir().toString(), needed, free,
          "Free space, remove old backups (haven backups remove SLUG), or back up fewer parts.");
    }
  }

  /** Room a backup of {@code total} file bytes needs in the backup dir. */
  static long spaceNeeded(long total) {
    return total + 1024 * 1024;
  }

  /** The data root, or a part's folder, gone since the backup started (a disk unplugged). */
  private Optional<IOException> vanished(List<Part> parts) {
    if (!Files.isDirectory(root.path())) {
      return Optional.of(new StoreException.NotFound("The data root " + root.path()
          + " disappeared during the backup (was its disk unplugged or unmounted?); nothing was"
          + " kept. Put it back, then back up again."));
    }
    for (Part p : parts) {
      if (!Files.isDirectory(root.dirOf(p))) {
        return Optional.of(new StoreException.NotFound("The folder " + root.dirOf(p)
            + " disappeared during the backup; nothing was kept. Back up again, and leave '"
            + p + "' out if it is gone for good."));
      }
    }
    return Optional.empty();
  }

  private static Optional<IOException> diskFull(IOException e) {
    return NotEnoughSpace.whileWriting(e, "The backup directory filled up while writing the"
        + " backup; nothing was kept. Free space or remove old backups, then try again.")
        .map(IOException.class::cast);
  }

  private String homeAssistantVersion() throws IOException {
    Path v = root.dirOf(Part.homeAssistant()).resolve(".HA_VERSION");
    if (Files.isRegularFile(v) && Files.size(v) < 100) {
      String s = Files.readString(v).trim();
      if (!s.isEmpty()) {
        return s;
      }
    }
    return "unknown";
  }

  private BackupMetadata metadata(BackupRequest r, List<Part> parts, String slug, String name,
      String date, List<AddonInfo> addons) throws IOException {
    Optional<HomeAssistantInfo> ha = parts.contains(Part.homeAssistant())
        ? Optional.of(new HomeAssistantInfo(homeAssistantVersion(), r.excludeDatabase()))
        : Optional.empty();
    List<String> folders = parts.stream()
        .filter(p -> p.kind() == Part.Kind.FOLDER).map(Part::id).toList();
    return new BackupMetadata(slug, name, date,
        r.isFull() ? BackupMetadata.Type.FULL : BackupMetadata.Type.PARTIAL,
        r.compression() != Compression.NONE, r.password().isPresent(), ha,
        folders, addons, List.of(), null, null, null);
  }

  private ObjectNode source(long dataBytes) throws IOException {
    ObjectNode s = sourceFacts.get();
    FileStore fs = Files.getFileStore(root.path());
    s.put("data_bytes", dataBytes);
    s.put("disk_used", fs.getTotalSpace() - fs.getUnallocatedSpace());
    s.put("disk_total", fs.getTotalSpace());
    return s;
  }
}

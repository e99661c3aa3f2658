package io.haven.backup;

import io.haven.archive.Part;
import io.haven.failure.Sizes;
import io.haven.store.BackupStore;
import io.haven.store.StoreException;
import io.haven.tree.DataRoot;
import io.haven.tree.Excludes;
import io.haven.tree.TreeWalk;
import io.haven.tree.Warnings;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * Estimates a backup before it is made: walks the parts' metadata with the backup's own excludes
 * (so the numbers are the bytes the backup then reads), reads the recorder's keep days, sizes the
 * old backups and checks the backup dir's room. Opens no file but configuration.yaml.
 */
public final class Estimator {
  static final int LARGEST = 10;
  /** A part or the database above this share of the backup gets a suggestion. */
  private static final double LARGE_SHARE = 0.5;
  private static final long SMALL_BACKUP = 50L * 1000 * 1000;

  private final DataRoot root;
  private final BackupStore store;

  public Estimator(DataRoot root, BackupStore store) {
    this.root = root;
    this.store = store;
  }

  /**
   * The estimate for {@code parts} (empty: a full backup), leaving out what the user's
   * {@code excludes} match as the backup would.
   */
  public BackupEstimate estimate(List<Part> parts, boolean excludeDatabase,
      List<String> excludes) throws IOException {
    List<Part> chosen = parts.isEmpty() ? root.present() : parts;
    PriorityQueue<BackupEstimate.FileSize> largest =
        new PriorityQueue<>(Comparator.comparingLong(BackupEstimate.FileSize::bytes));
    List<BackupEstimate.PartSize> sizes = new ArrayList<>();
    long[] leftOut = new long[2];
    Predicate<Path> skip = p -> p.getFileName().toString().startsWith(DataRoot.RESERVED_PREFIX)
        || p.getFileName().toString().startsWith(BackupStore.TEMP_PREFIX)
        || p.equals(store.dir());
    for (Part part : chosen) {
      Path dir = root.dirOf(part);
      if (!Files.isDirectory(dir)) {
        throw new StoreException.NotFound("Nothing to back up for '" + part + "': " + dir
            + " does not exist. Leave it out, or check data_root.");
      }
      // Walked without the user's excludes, so what they leave out is measured in the same walk.
      TreeWalk walk = new TreeWalk(BackupCreator.excludesFor(root, part, excludeDatabase,
          List.of()), skip, new Warnings());
      sizes.add(measure(part, dir, walk, BackupCreator.userExcludesFor(root, part, excludes),
          largest, leftOut));
    }
    boolean withDb = chosen.contains(Part.homeAssistant()) && !excludeDatabase;
    long db = withDb ? databaseBytes() : 0;
    HomeAssistantFacts ha = HomeAssistantFacts.read(root.dirOf(Part.homeAssistant()));
    long total = sizes.stream().mapToLong(BackupEstimate.PartSize::bytes).sum();
    BackupEstimate.LeftOut out = new BackupEstimate.LeftOut(excludes, leftOut[0], leftOut[1]);
    BackupEstimate draft = new BackupEstimate(sizes, db, ha.keepDays(), ha.keepDaysSet(),
        sorted(largest), oldBackups(), free(), BackupCreator.spaceNeeded(total), List.of(), out);
    return new BackupEstimate(draft.parts(), draft.databaseBytes(), draft.keepDays(),
        draft.keepDaysSet(), draft.largestFiles(), draft.oldBackups(), draft.backupDirFree(),
        draft.spaceNeeded(), suggestions(draft), out);
  }

  // Counts what the backup holds, and into leftOut what the user's excludes keep out of it.
  private BackupEstimate.PartSize measure(Part part, Path dir, TreeWalk walk, Excludes user,
      PriorityQueue<BackupEstimate.FileSize> largest, long[] leftOut) throws IOException {
    long[] n = new long[2];
    String prefix = root.path().relativize(dir) + "/";
    walk.walk(dir, new TreeWalk.Visitor() {
      // The walk is depth first: the excluded folder being walked, until the walk leaves it.
      private String excludedDir;

      @Override
      public void directory(String relative, Path d, TreeWalk.Attributes attrs) {
        if (!inExcludedDir(relative)) {
          excludedDir = user.matches(relative) ? relative : null;
        }
      }

      @Override
      public void file(String relative, Path f, TreeWalk.Attributes attrs) {
        long size = attrs.size();
        if (inExcludedDir(relative) || user.matches(relative)) {
          leftOut[0]++;
          leftOut[1] += size;
          return;
        }
        n[0]++;
        n[1] += size;
        largest.add(new BackupEstimate.FileSize(prefix + relative, size));
        if (largest.size() > LARGEST) {
          largest.poll(); // keep only the largest few: memory stays flat on 100k files
        }
      }

      @Override
      public void symlink(String relative, Path l, TreeWalk.Attributes attrs) {}

      private boolean inExcludedDir(String relative) {
        return excludedDir != null && relative.startsWith(excludedDir + "/");
      }
    });
    return new BackupEstimate.PartSize(part, n[0], n[1]);
  }

  private static List<BackupEstimate.FileSize> sorted(PriorityQueue<BackupEstimate.FileSize> q) {
    List<BackupEstimate.FileSize> list = new ArrayList<>(q);
    list.sort(Comparator.comparingLong(BackupEstimate.FileSize::bytes).reversed()
        .thenComparing(BackupEstimate.FileSize::path));
    return list;
  }

  private long databaseBytes() throws IOException {
    Path config = root.dirOf(Part.homeAssistant());
    long bytes = 0;
    for (String name : List.of(BackupCreator.DATABASE, BackupCreator.DATABASE + "-wal")) {
      Path f = config.resolve(name);
      if (Files.isRegularFile(f)) {
        bytes += Files.size(f);
      }
    }
    return bytes;
  }

  private BackupEstimate.OldBackups oldBackups() throws IOException {
    if (!Files.isDirectory(store.dir())) {
      return new BackupEstimate.OldBackups(0, 0);
    }
    int count = 0;
    long bytes = 0;
    try (DirectoryStream<Path> s = Files.newDirectoryStream(store.dir(), "*.tar")) {
      for (Path f : s) {
        if (!f.getFileName().toString().startsWith(".") && Files.isRegularFile(f)) {
          count++;
          bytes += Files.size(f);
        }
      }
    }
    return new BackupEstimate.OldBackups(count, bytes);
  }

  private long free() throws IOException {
    Path at = store.dir();
    while (at != null && !Files.exists(at)) {
      at = at.getParent();
    }
    return at == null ? -1 : Files.getFileStore(at).getUsableSpace();
  }

  static List<String> suggestions(BackupEstimate e) {
    List<String> out = new ArrayList<>();
    long total = Math.max(1, e.totalBytes());
    if (e.databaseBytes() > 0 && e.databaseBytes() >= LARGE_SHARE * total
        && total >= SMALL_BACKUP) {
      out.add("The recorder database is " + Sizes.human(e.databaseBytes()) + ", "
          + percent(e.databaseBytes(), total) + " of the backup: lower recorder purge_keep_days"
          + " (now " + e.keepDays() + ") or leave it out with --homeassistant-exclude-database.");
    }
    for (BackupEstimate.PartSize p : e.parts()) {
      boolean big = p.part().kind() != Part.Kind.HOMEASSISTANT && e.parts().size() > 1
          && p.bytes() >= LARGE_SHARE * total && total >= SMALL_BACKUP;
      if (big) {
        out.add("'" + p.part() + "' is " + Sizes.human(p.bytes()) + ", " + percent(p.bytes(), total)
            + " of the backup: clean it up, or back it up on its own less often (-a/-f).");
      }
    }
    if (!e.hasRoom()) {
      out.add("The backup dir has " + Sizes.human(e.backupDirFree()) + " free but the backup needs"
          + " " + Sizes.human(e.spaceNeeded()) + ": remove old backups (haven backups remove SLUG)"
          + " or free space first.");
    } else if (e.oldBackups().count() > 1 && e.oldBackups().bytes() > 4 * e.spaceNeeded()) {
      out.add(e.oldBackups().count() + " old backups take " + Sizes.human(e.oldBackups().bytes())
          + " in the backup dir: copy them offsite and remove the ones you no longer need.");
    }
    return out;
  }

  private static String percent(long part, long total) {
    return Math.round(100.0 * part / total) + "%";
  }
}

package io.haven.restore;

import io.haven.archive.BackupArchive;
import io.haven.archive.Part;
import io.haven.archive.PartInput;
import io.haven.archive.Secret;
import io.haven.store.StoreException;
import io.haven.tree.DataRoot;
import io.haven.tree.Progress;
import io.haven.tree.TreeExtractor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Puts files or directories from a backup back where they live in the data root. Each is streamed
 * out of its part into a scratch directory beside its target (same directory, so the same file
 * system), then all are swapped in under a {@link RestoreJournal} in the data root, which
 * {@link Restorer#recover} finishes or rolls back after a crash. A file is renamed over the old one
 * (the old one hard-linked aside first, for the rollback); a directory is moved aside whole and the
 * new one renamed in, so files added since the backup are gone, as with a full restore.
 */
final class InPlaceRestore {
  private static final String SCRATCH_PREFIX = DataRoot.RESERVED_PREFIX + "file-";

  private final DataRoot root;
  private final Progress progress;

  InPlaceRestore(DataRoot root, Progress progress) {
    this.root = root;
    this.progress = progress;
  }

  /** One asked-for path: where it is in the backup and where it goes in the data root. */
  record Pick(FileRestorer.Wanted wanted, String from, Path target) {}

  List<FileRestorer.Result> restore(BackupArchive archive, Optional<Secret> secret,
      List<FileRestorer.Wanted> wanted) throws IOException {
    List<Pick> picks = new ArrayList<>();
    for (FileRestorer.Wanted w : wanted) {
      picks.add(pickOf(w));
    }
    refuseNested(picks);
    String id = UUID.randomUUID().toString();
    Path work = root.path().resolve(Restorer.WORK_PREFIX + id);
    Files.createDirectories(root.path());
    Files.createDirectory(work);
    try {
      List<String> scratch = new ArrayList<>();
      for (Pick p : picks) {
        scratch.add(p.target().getParent().resolve(SCRATCH_PREFIX + id).toString());
      }
      new RestoreJournal(RestoreJournal.State.STAGING, List.of(), scratch).save(work);
      List<RestoreJournal.Swap> swaps = new ArrayList<>();
      List<FileRestorer.Result> results = new ArrayList<>();
      for (int i = 0; i < picks.size(); i++) {
        Path side = Path.of(scratch.get(i));
        long entries = stage(archive, secret, picks.get(i), side);
        swaps.add(swapOf(picks.get(i).target(), side));
        results.add(new FileRestorer.Result(picks.get(i).target(), entries));
      }
      Durability.syncFileSystem(work);
      swapIn(new RestoreJournal(RestoreJournal.State.SWAPPING, swaps, scratch), work);
      return results;
    } catch (IOException | RuntimeException e) {
      Restorer.rollBack(work);
      throw e;
    }
  }

  // Home Assistant and add-on parts keep their files under data/ (very old Home Assistant
  // backups keep the configuration at the part's root, beside homeassistant.json).
  private Pick pickOf(FileRestorer.Wanted w) throws IOException {
    Path dir = root.dirOf(w.part());
    String inner = w.inner();
    if (w.part().kind() == Part.Kind.FOLDER) {
      return new Pick(w, inner, inner.isEmpty() ? dir : dir.resolve(inner));
    }
    if (inner.isEmpty() || inner.equals("data")) {
      return new Pick(w, "data", dir);
    }
    if (inner.startsWith("data/")) {
      return new Pick(w, inner, dir.resolve(inner.substring("data/".length())));
    }
    if (w.part().kind() == Part.Kind.HOMEASSISTANT && !inner.equals("homeassistant.json")) {
      return new Pick(w, inner, dir.resolve(inner));
    }
    throw new StoreException.Rejected("'" + w.path() + "' is the backup's description of the"
        + " part, not a file of the data root; restore it with --to DIR to read it.", null);
  }

  private static void refuseNested(List<Pick> picks) {
    for (Pick a : picks) {
      for (Pick b : picks) {
        if (a != b && a.target().startsWith(b.target())) {
          throw new IllegalArgumentException("'" + a.wanted().path() + "' lies inside '"
              + b.wanted().path() + "'; name each file or folder once");
        }
      }
    }
  }

  private long stage(BackupArchive archive, Optional<Secret> secret, Pick p, Path side)
      throws IOException {
    Path target = p.target();
    Files.createDirectories(target.getParent());
    Path staging = side.resolve("new");
    Files.createDirectories(staging);
    String base = target.getFileName().toString();
    String what = archive.describe() + ", part '" + p.wanted().part() + "'";
    long entries;
    try (PartInput in = archive.openPart(p.wanted().part(), secret)) {
      // Staged as side/new/<base>, which will be target: side/new stands for target's parent.
      entries = new TreeExtractor(progress).extract(in, staging, "", target.getParent(),
          root.path(), what, new TreeExtractor.Subtree(p.from(), base));
      in.finish();
    }
    if (entries == 0) {
      throw new StoreException.NotFound(archive.describe() + " has no '" + p.wanted().path()
          + "'; list its files with: haven backups ls " + archive.file() + " "
          + p.wanted().part().id());
    }
    return entries;
  }

  private static RestoreJournal.Swap swapOf(Path target, Path side) {
    Path payload = side.resolve("new").resolve(target.getFileName().toString());
    Path old = side.resolve("old").resolve(target.getFileName().toString());
    return new RestoreJournal.Swap(target.toString(), payload.toString(), old.toString(),
        Files.exists(target, LinkOption.NOFOLLOW_LINKS));
  }

  private void swapIn(RestoreJournal journal, Path work) throws IOException {
    journal.save(work);
    progress.stage("swapping");
    for (RestoreJournal.Swap s : journal.swaps()) {
      Path target = Path.of(s.target());
      Path payload = Path.of(s.payload());
      Path old = Path.of(s.old());
      Files.createDirectories(old.getParent());
      if (s.existed() && bothFiles(target, payload)) {
        // The name never goes missing: the old file keeps a second name, the new one replaces it.
        Files.createLink(old, target);
      } else if (s.existed()) {
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(payload, target, StandardCopyOption.ATOMIC_MOVE);
      Durability.syncDirectory(target.getParent());
    }
    journal.with(RestoreJournal.State.COMMITTED).save(work);
    for (String dir : journal.scratch()) {
      Restorer.deleteTree(Path.of(dir));
    }
    Restorer.deleteTree(work);
  }

  private static boolean bothFiles(Path a, Path b) {
    return Files.isRegularFile(a, LinkOption.NOFOLLOW_LINKS)
        && Files.isRegularFile(b, LinkOption.NOFOLLOW_LINKS);
  }
}

package io.haven.restore;

import io.haven.archive.BackupSource;
import io.haven.archive.BackupMetadata;
import io.haven.archive.HavenFacts;
import io.haven.archive.Part;
import io.haven.archive.PartInput;
import io.haven.failure.NotEnoughSpace;
import io.haven.store.StoreException;
import io.haven.tree.DataRoot;
import io.haven.tree.Progress;
import io.haven.tree.TreeExtractor;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Restores a backup (an archive, or a snapshot of a repository) into the data root. Nothing in the data root changes until every asked-for part
 * has been extracted into staging on the same file system and checked (decryption authenticated,
 * checksums matched). Then each part's directory is swapped by rename under a journal: a failure
 * rolls back at once, and a kill is finished or rolled back by {@link #recover} on the next start.
 * Replace, never merge: files not in the backup are gone afterwards, as in Home Assistant.
 */
public final class Restorer {
  /** Working directories in the data root are named with this prefix. */
  static final String WORK_PREFIX = DataRoot.RESERVED_PREFIX + "restore-";
  private static final String DATABASE_GLOB = "home-assistant_v?.db{,-wal}";
  /**
   * TEST ONLY: a pause after each swap step, so that the reliability tests' kill -9 lands inside
   * the swap phase often enough to prove its rollback. Unset (0) everywhere else.
   */
  private static final long TEST_SWAP_PAUSE_MS = testSwapPause();

  private final DataRoot root;
  private final Progress progress;

  public Restorer(DataRoot root, Progress progress) {
    this.root = root;
    this.progress = progress;
  }

  public RestoreResult restore(BackupSource archive, RestoreRequest request) throws IOException {
    List<Part> parts = partsToRestore(archive, request);
    checkPassword(archive, parts, request);
    checkSpace(archive, parts);
    Files.createDirectories(root.path());
    Path work = root.path().resolve(WORK_PREFIX + UUID.randomUUID());
    Files.createDirectory(work);
    List<RestoreJournal.Swap> swaps = new ArrayList<>();
    long[] totals = new long[2];
    try {
      new RestoreJournal(RestoreJournal.State.STAGING, List.of()).save(work);
      for (Part part : parts) {
        progress.stage(part.stage());
        progress.part(part.id());
        swaps.add(stage(archive, part, request, work, totals));
      }
      swaps.addAll(addonsToRemove(archive, request, work));
      Durability.syncFileSystem(work);
      swapIn(new RestoreJournal(RestoreJournal.State.SWAPPING, swaps), work);
    } catch (IOException e) {
      rollBack(work);
      throw diskFull(e).orElse(e);
    } catch (RuntimeException e) {
      rollBack(work);
      throw e;
    }
    return new RestoreResult(parts, totals[0], totals[1]);
  }

  // The space check counts the files; a disk that fills up anyway (another writer, a file that
  // grows) ends here, after the rollback, with a message a user can act on.
  private Optional<IOException> diskFull(IOException e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("No space left on device") || m.contains("Disk quota exceeded")) {
      return Optional.of(new NotEnoughSpace("The data root " + root.path() + " filled up while"
          + " the restore was staged; it was rolled back and is as it was. Free space, then try"
          + " again.", e));
    }
    return Optional.empty();
  }

  private static List<Part> partsToRestore(BackupSource archive, RestoreRequest request)
      throws IOException {
    List<Part> inArchive = archive.parts();
    if (request.isFull()) {
      return inArchive;
    }
    for (Part p : request.parts()) {
      if (!inArchive.contains(p)) {
        throw new StoreException.NotFound(archive.describe() + " does not hold '" + p
            + "'; it holds: " + inArchive);
      }
    }
    return request.parts();
  }

  /**
   * Opens the first encrypted part the request restores, as the Supervisor does, so a wrong or
   * missing password is reported before any work (and before services are stopped).
   */
  public static void checkPassword(BackupSource archive, RestoreRequest request)
      throws IOException {
    checkPassword(archive, partsToRestore(archive, request), request);
  }

  private static void checkPassword(BackupSource archive, List<Part> parts, RestoreRequest r)
      throws IOException {
    for (Part p : parts) {
      if (archive.isEncrypted(p)) {
        try (PartInput in = archive.openPart(p, r.secret())) {
          in.nextEntry();
        }
        return;
      }
    }
  }

  private void checkSpace(BackupSource archive, List<Part> parts) throws IOException {
    Optional<HavenFacts> facts = archive.metadata().flatMap(BackupMetadata::haven);
    long needed = 0;
    for (Part p : parts) {
      // Haven records the file bytes; for other backups the stored size is a lower bound.
      needed += facts.flatMap(f -> f.part(p)).map(f -> f.fileBytes())
          .orElse(archive.storedSize(p));
    }
    progress.total(needed);
    Path existing = root.path();
    while (!Files.exists(existing)) {
      existing = existing.getParent();
    }
    long free = Files.getFileStore(existing).getUsableSpace();
    if (free < needed) {
      throw new NotEnoughSpace("the restore", existing.toString(), needed, free,
          "The current data stays until the restore is complete, so both must fit. Free space or"
              + " restore fewer parts (-f/-a).");
    }
  }

  private RestoreJournal.Swap stage(BackupSource archive, Part part, RestoreRequest request,
      Path work, long[] totals) throws IOException {
    Path staged = work.resolve("new").resolve(part.memberBase());
    Files.createDirectories(staged);
    Path target = root.dirOf(part);
    String linkRoot = part.kind() == Part.Kind.FOLDER ? "" : "data";
    try (PartInput in = archive.openPart(part, request.secret())) {
      String what = archive.describe() + ", part '" + part + "'";
      totals[0] += new TreeExtractor(progress)
          .extract(in, staged, linkRoot, target, root.path(), what);
      in.finish();
    }
    Path payload = payloadOf(part, staged);
    if (part.kind() == Part.Kind.HOMEASSISTANT && excludesDatabase(archive)) {
      keepCurrentDatabase(target, payload);
    }
    Path old = work.resolve("old").resolve(part.memberBase());
    return new RestoreJournal.Swap(target.toString(), payload.toString(), old.toString(),
        Files.exists(target, LinkOption.NOFOLLOW_LINKS));
  }

  // Home Assistant and add-on parts hold their files under data/; very old Home Assistant
  // backups hold the config at the root, beside homeassistant.json.
  private static Path payloadOf(Part part, Path staged) throws IOException {
    if (part.kind() == Part.Kind.FOLDER) {
      return staged;
    }
    Path data = staged.resolve("data");
    if (Files.isDirectory(data, LinkOption.NOFOLLOW_LINKS)) {
      return data;
    }
    if (part.kind() == Part.Kind.HOMEASSISTANT) {
      Files.deleteIfExists(staged.resolve("homeassistant.json"));
      return staged;
    }
    Files.createDirectory(data); // an add-on with no data: restore an empty directory
    return data;
  }

  private static boolean excludesDatabase(BackupSource archive) {
    return archive.metadata().flatMap(BackupMetadata::homeassistant)
        .map(h -> h.excludeDatabase()).orElse(false);
  }

  // A backup without the database keeps the current one (FORMAT.md section 7). Hard links cost
  // no space, and the originals stay where they are until the swap.
  private static void keepCurrentDatabase(Path config, Path payload) throws IOException {
    if (!Files.isDirectory(config)) {
      return;
    }
    try (DirectoryStream<Path> dbs = Files.newDirectoryStream(config, DATABASE_GLOB)) {
      for (Path db : dbs) {
        Path copy = payload.resolve(db.getFileName());
        Files.deleteIfExists(copy);
        Files.createLink(copy, db);
      }
    }
  }

  // A full restore of a full backup leaves no add-on that the backup does not have, as in
  // Home Assistant.
  private List<RestoreJournal.Swap> addonsToRemove(BackupSource archive, RestoreRequest request,
      Path work) throws IOException {
    boolean fullBackup = archive.metadata().map(m -> m.type() == BackupMetadata.Type.FULL)
        .orElse(false);
    if (!request.isFull() || !fullBackup) {
      return List.of();
    }
    List<RestoreJournal.Swap> removals = new ArrayList<>();
    List<Part> kept = archive.parts();
    for (Part addon : root.addons()) {
      if (!kept.contains(addon)) {
        removals.add(new RestoreJournal.Swap(root.dirOf(addon).toString(), null,
            work.resolve("old").resolve(addon.memberBase()).toString(), true));
      }
    }
    return removals;
  }

  private void swapIn(RestoreJournal journal, Path work) throws IOException {
    journal.save(work);
    progress.stage("swapping");
    Files.createDirectories(work.resolve("old"));
    for (RestoreJournal.Swap s : journal.swaps()) {
      Path target = Path.of(s.target());
      Files.createDirectories(target.getParent());
      if (s.existed()) {
        Files.move(target, Path.of(s.old()), StandardCopyOption.ATOMIC_MOVE);
      }
      pauseForTests();
      if (s.payload() != null) {
        Files.move(Path.of(s.payload()), target, StandardCopyOption.ATOMIC_MOVE);
      }
      Durability.syncDirectory(target.getParent());
      pauseForTests();
    }
    journal.with(RestoreJournal.State.COMMITTED).save(work);
    deleteTree(work);
  }

  /**
   * Finishes or rolls back restores that a crash interrupted: a committed one has its old copies
   * deleted, any other is undone, leaving the data root as before it began; a write probe's file
   * is removed. Call at start, while holding the job lock. Returns the number of interrupted
   * restores found.
   */
  public static int recover(DataRoot root) throws IOException {
    if (!Files.isDirectory(root.path())) {
      return 0;
    }
    int found = 0;
    try (DirectoryStream<Path> s = Files.newDirectoryStream(root.path(), WORK_PREFIX + "*")) {
      for (Path work : s) {
        found++;
        rollBack(work);
      }
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(root.path(),
        WriteRate.PROBE_PREFIX + "*")) {
      for (Path probe : s) {
        Files.deleteIfExists(probe);
      }
    }
    return found;
  }

  static void rollBack(Path work) throws IOException {
    if (!Files.exists(work.resolve(RestoreJournal.FILE))) {
      deleteTree(work); // created, but not one step taken
      return;
    }
    RestoreJournal journal = RestoreJournal.load(work);
    if (journal.state() == RestoreJournal.State.SWAPPING) {
      for (RestoreJournal.Swap s : journal.swaps()) {
        undo(s);
      }
    }
    for (String dir : journal.scratch()) {
      deleteTree(Path.of(dir));
    }
    deleteTree(work);
  }

  // Each step of a swap is one rename, so the files tell how far it got.
  private static void undo(RestoreJournal.Swap s) throws IOException {
    Path target = Path.of(s.target());
    Path old = Path.of(s.old());
    boolean oldMoved = Files.exists(old, LinkOption.NOFOLLOW_LINKS);
    boolean payloadMoved = s.payload() != null
        && !Files.exists(Path.of(s.payload()), LinkOption.NOFOLLOW_LINKS);
    if (s.existed() && !oldMoved) {
      return; // not touched yet
    }
    if (payloadMoved) {
      deleteTree(target);
    }
    if (oldMoved) {
      Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
    }
    Durability.syncDirectory(target.getParent());
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
          throws IOException {
        // A restored read-only directory must still be emptied.
        d.toFile().setWritable(true, true);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static long testSwapPause() {
    try {
      return Long.parseLong(System.getenv().getOrDefault("HAVEN_TEST_SWAP_PAUSE_MS", "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void pauseForTests() {
    if (TEST_SWAP_PAUSE_MS <= 0) {
      return;
    }
    try {
      Thread.sleep(TEST_SWAP_PAUSE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

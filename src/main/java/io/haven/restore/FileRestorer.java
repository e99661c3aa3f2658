package io.haven.restore;

import io.haven.archive.ArchiveListing;
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
 * Restores one file or one directory (with everything below it) from a backup, streaming through
 * its part: only the chosen entries are written. {@link #restore} puts the result in a directory
 * the user names, or in a new {@code haven-restored-<slug>-<n>} directory beside the data root,
 * never replacing what exists; {@link #restoreInPlace} puts files back where they live in the
 * data root, replacing them atomically (see {@link InPlaceRestore}). The safety rules are those of a full restore ({@link TreeExtractor}):
 * no absolute names, no "..", no links out of the destination, no devices; the part is read to
 * its end so damage (and v3 authentication) is checked before the result is moved into place.
 */
public final class FileRestorer {
  private final DataRoot root;
  private final Progress progress;

  public FileRestorer(DataRoot root, Progress progress) {
    this.root = root;
    this.progress = progress;
  }

  /** Where the restored file or directory was written, and how many entries it has. */
  public record Result(Path written, long entries) {}

  /** A path as {@code haven ls} shows it, split into its part and the name inside the part. */
  record Wanted(String path, Part part, String inner) {}

  /**
   * Restores each of {@code paths} (written as {@code haven ls} shows them) into its place in the
   * data root: all of them or, on any failure, none (the data root is left as it was). A
   * directory is replaced whole. Each path costs one pass through its part. Call under the job
   * lock. Fails {@link StoreException.NotFound} when the backup lacks a path, and
   * {@link StoreException.Rejected} for a part's own description (homeassistant.json, addon.json).
   */
  public List<Result> restoreInPlace(BackupArchive archive, Optional<Secret> secret,
      List<String> paths) throws IOException {
    List<Wanted> wanted = new ArrayList<>();
    for (String p : paths) {
      wanted.add(wantedOf(archive, p));
    }
    return new InPlaceRestore(root, progress).restore(archive, secret, wanted);
  }

  /** The parts {@code paths} lie in, each once: the services to stop around the restore. */
  public static List<Part> partsOf(BackupArchive archive, List<String> paths) throws IOException {
    List<Part> parts = new ArrayList<>();
    for (String p : paths) {
      Part part = wantedOf(archive, p).part();
      if (!parts.contains(part)) {
        parts.add(part);
      }
    }
    return parts;
  }

  private static Wanted wantedOf(BackupArchive archive, String path) throws IOException {
    String wanted = ArchiveListing.normalise(path.startsWith("/") ? path.substring(1) : path);
    Part part = partOf(archive, wanted);
    String inner = wanted.equals(part.id()) ? "" : wanted.substring(part.id().length() + 1);
    return new Wanted(wanted, part, inner);
  }

  /**
   * Restores {@code path}, written as {@code haven ls} shows it ({@code <part>/<name>}), into
   * {@code into} (or the default directory when empty) under its own base name. Fails with
   * {@link StoreException.NotFound} when the backup has no such entry and
   * {@link StoreException.AlreadyExists} when the destination name is taken.
   */
  public Result restore(BackupArchive archive, Optional<Secret> secret, String path,
      Optional<Path> into) throws IOException {
    Wanted w = wantedOf(archive, path);
    String wanted = w.path();
    Part part = w.part();
    String inner = w.inner();
    String base = inner.isEmpty() ? part.memberBase()
        : inner.substring(inner.lastIndexOf('/') + 1);
    Path dir = into.isPresent() ? into.get().toAbsolutePath().normalize() : newDefaultDir(archive);
    Files.createDirectories(dir);
    Path target = dir.resolve(base);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new StoreException.AlreadyExists(target + " already exists; nothing was restored."
          + " Choose another --to directory or move it away first.");
    }
    Path staging = dir.resolve(DataRoot.RESERVED_PREFIX + "restore-file-" + UUID.randomUUID());
    Files.createDirectory(staging);
    try {
      long entries = extract(archive, secret, part, inner, base, staging, dir);
      if (entries == 0) {
        throw new StoreException.NotFound(archive.describe() + " has no '" + wanted
            + "'; list its files with: haven ls " + archive.file() + " " + part.id());
      }
      Files.move(staging.resolve(base), target, StandardCopyOption.ATOMIC_MOVE);
      return new Result(target, entries);
    } finally {
      Restorer.deleteTree(staging);
    }
  }

  private long extract(BackupArchive archive, Optional<Secret> secret, Part part, String inner,
      String base, Path staging, Path dir) throws IOException {
    String what = archive.describe() + ", part '" + part + "'";
    try (PartInput in = archive.openPart(part, secret)) {
      // Links may point anywhere inside the destination directory, never out of it.
      long entries = new TreeExtractor(progress).extract(in, staging, "", dir, dir, what,
          new TreeExtractor.Subtree(inner, base));
      in.finish();
      return entries;
    }
  }

  private static Part partOf(BackupArchive archive, String wanted) throws IOException {
    List<Part> parts = archive.parts();
    for (Part p : parts) {
      if (wanted.equals(p.id()) || wanted.startsWith(p.id() + "/")) {
        return p;
      }
    }
    throw new StoreException.NotFound("'" + wanted + "' is in no part of " + archive.describe()
        + "; paths start with a part: " + parts + " (see haven ls)");
  }

  // Beside the data root, never inside it: a restored file must not be mistaken for live data.
  private Path newDefaultDir(BackupArchive archive) throws IOException {
    Path parent = root.path().getParent();
    String slug = archive.metadata().map(m -> m.slug()).orElse("archive");
    for (int n = 1; ; n++) {
      Path dir = parent.resolve("haven-restored-" + slug + "-" + n);
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        return dir;
      }
    }
  }
}

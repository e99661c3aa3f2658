package io.haven.tree;

import io.haven.archive.ArchiveException;
import io.haven.archive.PartInput;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Extracts a part's tar into an empty staging directory, refusing anything that would land outside
 * it: absolute names and ".." (checked by the archive reader), links whose target leaves
 * {@code linkBoundary} once in place or climbs back through another name with "x/..", entries
 * written or hard-linked through a symbolic link the part made, hard links to outside names,
 * device nodes and FIFOs, and files larger than the free space. Setuid, setgid and sticky bits
 * are cleared. Owners are restored when running as root.
 */
public final class TreeExtractor {
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  /** Files are written through a channel, not the OutputStream Files.newOutputStream wraps one in. */
  private static final Set<OpenOption> WRITE_NEW = Set.of(StandardOpenOption.CREATE,
      StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);

  private final Progress progress;
  /**
   * Directories of the current staging tree known to be real directories all the way up, so that
   * each is checked for links and created once, not once per file in it.
   */
  private final Set<Path> realDirs = new HashSet<>();
  private Defaults defaults;
  private FileWriters writers;

  public TreeExtractor(Progress progress) {
    this.progress = progress;
  }

  /**
   * Extracts every entry of {@code in} below {@code staging}. {@code placedAt} is where the staged
   * tree's {@code linkRoot} will be once swapped in, and {@code linkBoundary} the directory no
   * symbolic link may point out of (the data root). Returns the number of entries.
   */
  public long extract(PartInput in, Path staging, String linkRoot, Path placedAt,
      Path linkBoundary, String what) throws IOException {
    return extract(in, staging, linkRoot, placedAt, linkBoundary, what, Subtree.ALL);
  }

  /**
   * Which entries to extract, and under which name: the entry {@code from} (a file or a
   * directory, named without "./" or a trailing "/") and everything below it, renamed so that
   * {@code from} becomes {@code as}. {@link #ALL} takes every entry as it is.
   */
  public record Subtree(String from, String as) {
    public static final Subtree ALL = new Subtree("", "");

    public Subtree {
      from = normalise(from);
      as = normalise(as);
    }

    /** The name an entry gets, or empty when it is not in this subtree. */
    public Optional<String> rename(String name) {
      if (from.isEmpty()) {
        return Optional.of(as.isEmpty() || name.isEmpty() ? as + name : as + "/" + name);
      }
      if (name.equals(from)) {
        return Optional.of(as);
      }
      if (name.startsWith(from + "/")) {
        return Optional.of(as + name.substring(from.length()));
      }
      return Optional.empty();
    }
  }

  /**
   * As {@link #extract(PartInput, Path, String, Path, Path, String)}, for the entries of
   * {@code subtree} only (a single-file restore); the others are read past, never written.
   */
  public long extract(PartInput in, Path staging, String linkRoot, Path placedAt,
      Path linkBoundary, String what, Subtree subtree) throws IOException {
    Deque<DirTime> dirs = new ArrayDeque<>();
    SpaceBudget space = new SpaceBudget(staging);
    realDirs.clear();
    realDirs.add(staging);
    defaults = Defaults.of(staging);
    long entries;
    try (FileWriters w = FileWriters.start()) {
      writers = w;
      entries = extractAll(in, staging, linkRoot, placedAt, linkBoundary, what, subtree, dirs,
          space);
      closeDirsNotAbove(dirs, null);
      w.drain();
    } catch (FileSystemException e) {
      if (!"File name too long".equals(e.getReason())) {
        throw e;
      }
      throw new ArchiveException.Unsafe(what + ": an entry's path is too long for the file"
          + " system; refusing to restore from this archive");
    } finally {
      writers = null;
    }
    return entries;
  }

  private long extractAll(PartInput in, Path staging, String linkRoot, Path placedAt,
      Path linkBoundary, String what, Subtree subtree, Deque<DirTime> dirs, SpaceBudget space)
      throws IOException {
    long entries = 0;
    for (Optional<TarArchiveEntry> next = in.nextEntry(); next.isPresent(); next = in.nextEntry()) {
      TarArchiveEntry e = next.get();
      Optional<String> selected = subtree.rename(normalise(e.getName()));
      if (selected.isEmpty()) {
        continue;
      }
      String name = selected.get();
      Path target = name.isEmpty() ? staging : staging.resolve(name).normalize();
      if (!target.startsWith(staging)) {
        throw new ArchiveException.Unsafe(what + ": entry '" + e.getName() + "' leaves the part");
      }
      closeDirsNotAbove(dirs, target);
      if (e.isDirectory()) {
        createRealDirectory(staging, target, e.getName(), what);
        chown(target, e);
        dirs.push(new DirTime(target, e.getLastModifiedTime(), e.getMode()));
        entries++;
        continue;
      }
      createRealDirectory(staging, target.getParent(), e.getName(), what);
      if (e.isSymbolicLink()) {
        checkLink(e, name, linkRoot, placedAt, linkBoundary, what);
        writers.drain(); // a file of that name may still be queued
        replace(target, e, what);
        Files.createSymbolicLink(target, Path.of(e.getLinkName()));
        setTime(target, e.getLastModifiedTime());
      } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
        // Checked before isFile(), which is true for every entry that is not a directory.
        throw new ArchiveException.Unsafe(what + ": entry '" + e.getName()
            + "' is a device node or FIFO; refusing to create it");
      } else if (e.isLink()) {
        writers.drain(); // its source must be written, and a file of its name may be queued
        Optional<String> linked = subtree.rename(normalise(e.getLinkName()));
        Path source = staging.resolve(linked.orElse("..")).normalize();
        if (linked.isPresent() && source.startsWith(staging)) {
          refuseLinks(staging, source.getParent(), e.getName(), what);
        }
        if (linked.isEmpty() || !source.startsWith(staging)
            || !Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
          throw new ArchiveException.Unsafe(what + ": hard link '" + e.getName() + "' points to '"
              + e.getLinkName() + "', which is not an earlier file of this part");
        }
        replace(target, e, what);
        Files.createLink(target, source);
      } else if (e.isFile()) {
        space.reserve(e.getSize(), "entry '" + e.getName() + "' of " + what);
        writers.write(target, e.getSize(), new RegularFile(target, e, what), in.content(),
            progress);
        entries++;
        continue; // its owner is set once it is written
      } else {
        throw new ArchiveException.Unsafe(what + ": entry '" + e.getName()
            + "' is a device node or FIFO; refusing to create it");
      }
      chown(target, e);
      entries++;
    }
    return entries;
  }

  static String normalise(String name) {
    String n = name;
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    if (n.equals(".")) {
      n = "";
    }
    return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
  }

  /** Creates {@code dir} and its parents, after {@link #refuseLinks} (once per directory). */
  private void createRealDirectory(Path staging, Path dir, String entry, String what)
      throws IOException {
    if (realDirs.contains(dir)) {
      return;
    }
    // A file still queued where a directory must go: written first, so the damage is seen below
    // as it would be without the writers.
    for (Path p = dir; p != null && !realDirs.contains(p); p = p.getParent()) {
      if (writers.pending(p)) {
        writers.drain();
        break;
      }
    }
    refuseLinks(staging, dir, entry, what);
    try {
      Files.createDirectories(dir);
    } catch (FileSystemException e) {
      // Asked only when the creation failed: a file of the part where a directory must go.
      for (Path p = dir; p != null && p.startsWith(staging); p = p.getParent()) {
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)
            && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          throw new ArchiveException.Corrupt(what + ": entry '" + entry + "' needs the"
              + " directory '" + staging.relativize(p) + "', but the part already has a file of"
              + " that name; the archive is damaged, use another copy", e);
        }
      }
      throw e;
    }
    realDirs.add(dir);
  }

  // Writing below a symbolic link would put the file wherever the link points, which the name
  // checks cannot see: the classic "link, then a file through it" escape. Checks {@code dir} and
  // its parents up to the first one already known to be a real directory.
  private void refuseLinks(Path staging, Path dir, String entry, String what)
      throws ArchiveException {
    for (Path p = dir; p != null && !realDirs.contains(p); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        throw new ArchiveException.Unsafe(what + ": entry '" + entry + "' goes through the"
            + " symbolic link '" + staging.relativize(p) + "'; refusing to restore it");
      }
    }
  }

  private static void checkLink(TarArchiveEntry e, String name, String linkRoot, Path placedAt,
      Path boundary, String what) throws ArchiveException {
    String target = e.getLinkName();
    if (target.startsWith("/")) {
      throw new ArchiveException.Unsafe(what + ": symbolic link '" + e.getName()
          + "' points to the absolute path '" + target + "'; refusing to restore it");
    }
    // "x/.." is only where it looks when x is a directory; when x is itself a link it climbs from
    // where x points, so a chain of such links could leave the data root while each one looks
    // harmless on paper. Leading ".." climb real directories and are checked below.
    boolean descended = false;
    for (String segment : target.split("/")) {
      if (segment.equals("..") && descended) {
        throw new ArchiveException.Unsafe(what + ": symbolic link '" + e.getName() + "' -> '"
            + target + "' climbs back with '..' after a name; refusing to restore it");
      }
      descended |= !segment.isEmpty() && !segment.equals(".") && !segment.equals("..");
    }
    String prefix = linkRoot.isEmpty() ? "" : linkRoot + "/";
    String inPlace = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    Path parent = placedAt.resolve(inPlace).getParent();
    Path resolved = parent.resolve(target).normalize();
    if (!resolved.startsWith(boundary)) {
      throw new ArchiveException.Unsafe(what + ": symbolic link '" + e.getName() + "' -> '"
          + target + "' points outside the data root; refusing to restore it");
    }
  }

  private static void replace(Path target, TarArchiveEntry e, String what) throws IOException {
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw directoryInTheWay(e, what);
    }
    Files.deleteIfExists(target);
  }

  /** A regular file of the part, written by {@link FileWriters}, then given its mode, time, owner. */
  private final class RegularFile implements FileWriters.Sink {
    private final Path target;
    private final TarArchiveEntry e;
    private final String what;

    RegularFile(Path target, TarArchiveEntry e, String what) {
      this.target = target;
      this.e = e;
      this.what = what;
    }

    @Override
    public FileChannel open() throws IOException {
      try {
        return FileChannel.open(target, WRITE_NEW);
      } catch (FileSystemException ex) {
        // Asked only when the open failed, so a restore makes no extra call per file.
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
          throw directoryInTheWay(e, what);
        }
        throw ex;
      }
    }

    @Override
    public void finish() throws IOException {
      if ((e.getMode() & 07777) != defaults.fileMode()) {
        applyMode(target, e.getMode());
      }
      setTime(target, e.getLastModifiedTime());
      chown(target, e);
    }
  }

  /** Only a damaged tar puts a file or link where it already made a directory. */
  private static ArchiveException directoryInTheWay(TarArchiveEntry e, String what) {
    return new ArchiveException.Corrupt(what + ": entry '" + e.getName() + "' is not a"
        + " directory, but the part already has a directory of that name; the archive is damaged,"
        + " use another copy");
  }

  // Only permission bits; setuid, setgid and sticky are dropped, as Home Assistant's filter does.
  private static void applyMode(Path p, int mode) throws IOException {
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        perms.add(order[bit]);
      }
    }
    Files.setPosixFilePermissions(p, perms);
  }

  private void chown(Path p, TarArchiveEntry e) throws IOException {
    if (ROOT && (e.getLongUserId() != defaults.uid() || e.getLongGroupId() != defaults.gid())) {
      Files.setAttribute(p, "unix:uid", (int) e.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(p, "unix:gid", (int) e.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
    }
  }

  // A directory's time and mode are set once the walk has left it and its files are written, so
  // children don't change them.
  private void closeDirsNotAbove(Deque<DirTime> dirs, Path next) throws IOException {
    while (!dirs.isEmpty() && (next == null || !next.startsWith(dirs.peek().dir()))) {
      DirTime d = dirs.pop();
      writers.afterQueued(() -> {
        applyMode(d.dir(), d.mode());
        setTime(d.dir(), d.time());
      });
    }
  }

  private static void setTime(Path p, FileTime time) throws IOException {
    FileTimes.set(p, time);
  }

  /**
   * What a new file in the staging tree gets without being told: its mode (0666 less the umask)
   * and owner. Entries that match are not changed again, which saves a call or three per file.
   * Owners are taken as given only without a setgid bit, under which new files take their
   * directory's group instead.
   */
  private record Defaults(int fileMode, long uid, long gid) {
    static Defaults of(Path staging) throws IOException {
      Path probe = staging.resolve(".haven-probe");
      Files.newOutputStream(probe, StandardOpenOption.CREATE_NEW).close(); // as files are made
      try {
        Map<String, Object> a = Files.readAttributes(probe, "unix:mode,uid,gid",
            LinkOption.NOFOLLOW_LINKS);
        int dirMode = (Integer) Files.getAttribute(staging, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        long gid = (dirMode & 02000) != 0 ? -1 : (Integer) a.get("gid");
        return new Defaults((Integer) a.get("mode") & 07777, (Integer) a.get("uid"), gid);
      } finally {
        Files.delete(probe);
      }
    }
  }

  private record DirTime(Path dir, FileTime time, int mode) {}
}

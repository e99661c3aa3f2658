package io.haven.tree;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Walks a directory tree depth first, sorted by name, without following links, leaving out what
 * the excludes match (relative paths) and what {@code skip} names (absolute paths). What cannot be
 * read becomes a warning. Backup and the size estimate walk the same way, so they agree.
 */
public final class TreeWalk {
  private static final String UNIX_ATTRIBUTES = "unix:mode,uid,gid,size,lastModifiedTime";

  private final Excludes excludes;
  private final Predicate<Path> skip;
  private final Warnings warnings;

  /** What one lstat tells of an entry: its mode (type and permission bits), owner, size, time. */
  public record Attributes(int mode, int uid, int gid, long size, FileTime modified) {
    /** The attributes of {@code p} itself, a link not followed. */
    public static Attributes of(Path p) throws IOException {
      Attributes fast = Lstat.of(p);
      if (fast != null) {
        return fast;
      }
      Map<String, Object> a = Files.readAttributes(p, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
      return new Attributes((Integer) a.get("mode"), (Integer) a.get("uid"),
          (Integer) a.get("gid"), (Long) a.get("size"), (FileTime) a.get("lastModifiedTime"));
    }

    /**
     * At least the type, size and time of {@code p} itself, as the size check needs them; where
     * {@link Lstat} cannot answer, Java's basic attributes, so no attribute map to build.
     */
    static Attributes sizeOf(Path p) throws IOException {
      Attributes fast = Lstat.of(p);
      if (fast != null) {
        return fast;
      }
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
      int type = a.isDirectory() ? 0040000 : a.isRegularFile() ? 0100000
          : a.isSymbolicLink() ? 0120000 : 0;
      return new Attributes(type, 0, 0, a.size(), a.lastModifiedTime());
    }

    Attributes withSize(long bytes) {
      return new Attributes(mode, uid, gid, bytes, modified);
    }
  }

  /** Receives each entry: {@code relative} uses "/" and has no leading or trailing slash. */
  public interface Visitor {
    void directory(String relative, Path dir, Attributes attrs) throws IOException;

    void file(String relative, Path file, Attributes attrs) throws IOException;

    void symlink(String relative, Path link, Attributes attrs) throws IOException;
  }

  public TreeWalk(Excludes excludes, Predicate<Path> skip, Warnings warnings) {
    this.excludes = excludes;
    this.skip = skip;
    this.warnings = warnings;
  }

  /** Visits everything below {@code dir} (not {@code dir} itself). */
  public void walk(Path dir, Visitor visitor) throws IOException {
    walk(dir, "", visitor, true);
  }

  /**
   * {@code full}: entries in name order with all their attributes; else in the directory's own
   * order with only {@link Attributes#sizeOf}, which is all a count of files and bytes needs.
   */
  private void walk(Path dir, String relative, Visitor visitor, boolean full)
      throws IOException {
    List<Child> children = children(dir, full);
    if (children.isEmpty()) {
      return;
    }
    // Each child's attributes by its name in this directory: the kernel then looks up one name,
    // not every directory of the whole path again.
    int dirfd = Lstat.openDirectory(dir);
    try {
      for (Child c : children) {
        visit(c, dirfd, relative + c.name(), visitor, full);
      }
    } finally {
      Lstat.closeDirectory(dirfd);
    }
  }

  private void visit(Child c, int dirfd, String rel, Visitor visitor, boolean full)
      throws IOException {
    Path child = c.path();
    if (skip.test(child) || excludes.matches(rel)) {
      return;
    }
    Attributes attrs = Lstat.at(dirfd, c.name());
    try {
      if (attrs == null) {
        attrs = full ? Attributes.of(child) : Attributes.sizeOf(child);
      }
    } catch (NoSuchFileException e) {
      warnings.add("vanished while reading: " + child);
      return;
    }
    int type = attrs.mode() & 0170000;
    if (type == 0040000) {
      visitor.directory(rel, child, attrs);
      walk(child, rel + "/", visitor, full);
    } else if (type == 0100000) {
      visitor.file(rel, child, attrs);
    } else if (type == 0120000) {
      visitor.symlink(rel, child, attrs);
    } else {
      warnings.add("skipped special file (socket, FIFO or device): " + child);
    }
  }

  /** A directory entry, its name taken once (sorting asked for it in every comparison). */
  private record Child(String name, Path path) {}

  private List<Child> children(Path dir, boolean sorted) throws IOException {
    List<Child> children = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        children.add(new Child(p.getFileName().toString(), p));
      }
    } catch (AccessDeniedException e) {
      warnings.add("cannot read directory (permission denied): " + dir);
      return List.of();
    } catch (NoSuchFileException e) {
      warnings.add("vanished while reading: " + dir);
      return List.of();
    }
    if (sorted) {
      children.sort(Comparator.comparing(Child::name));
    }
    return children;
  }

  /** Files and bytes a walk of {@code dir} would read. */
  public record Size(long files, long bytes) {}

  public Size measure(Path dir) throws IOException {
    long[] n = new long[2];
    walk(dir, "", new Visitor() {
      @Override
      public void directory(String relative, Path d, Attributes attrs) {}

      @Override
      public void file(String relative, Path f, Attributes attrs) {
        n[0]++;
        n[1] += attrs.size();
      }

      @Override
      public void symlink(String relative, Path l, Attributes attrs) {}
    }, false);
    return new Size(n[0], n[1]);
  }
}

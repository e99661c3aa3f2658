package io.haven.tree;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
  static final String UNIX_ATTRIBUTES = "unix:mode,uid,gid,size,lastModifiedTime";

  private final Excludes excludes;
  private final Predicate<Path> skip;
  private final Warnings warnings;

  /** Receives each entry: {@code relative} uses "/" and has no leading or trailing slash. */
  public interface Visitor {
    void directory(String relative, Path dir, Map<String, Object> attrs) throws IOException;

    void file(String relative, Path file, Map<String, Object> attrs) throws IOException;

    void symlink(String relative, Path link, Map<String, Object> attrs) throws IOException;
  }

  public TreeWalk(Excludes excludes, Predicate<Path> skip, Warnings warnings) {
    this.excludes = excludes;
    this.skip = skip;
    this.warnings = warnings;
  }

  /** Visits everything below {@code dir} (not {@code dir} itself). */
  public void walk(Path dir, Visitor visitor) throws IOException {
    walk(dir, "", visitor);
  }

  private void walk(Path dir, String relative, Visitor visitor) throws IOException {
    for (Path child : sortedChildren(dir)) {
      String rel = relative + child.getFileName().toString();
      if (skip.test(child) || excludes.matches(rel)) {
        continue;
      }
      Map<String, Object> attrs;
      try {
        attrs = Files.readAttributes(child, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        warnings.add("vanished while reading: " + child);
        continue;
      }
      int type = (Integer) attrs.get("mode") & 0170000;
      if (type == 0040000) {
        visitor.directory(rel, child, attrs);
        walk(child, rel + "/", visitor);
      } else if (type == 0100000) {
        visitor.file(rel, child, attrs);
      } else if (type == 0120000) {
        visitor.symlink(rel, child, attrs);
      } else {
        warnings.add("skipped special file (socket, FIFO or device): " + child);
      }
    }
  }

  private List<Path> sortedChildren(Path dir) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      s.forEach(children::add);
    } catch (AccessDeniedException e) {
      warnings.add("cannot read directory (permission denied): " + dir);
      return List.of();
    } catch (NoSuchFileException e) {
      warnings.add("vanished while reading: " + dir);
      return List.of();
    }
    children.sort(Comparator.comparing(p -> p.getFileName().toString()));
    return children;
  }

  /** Files and bytes a walk of {@code dir} would read. */
  public record Size(long files, long bytes) {}

  public Size measure(Path dir) throws IOException {
    long[] n = new long[2];
    walk(dir, new Visitor() {
      @Override
      public void directory(String relative, Path d, Map<String, Object> attrs) {}

      @Override
      public void file(String relative, Path f, Map<String, Object> attrs) {
        n[0]++;
        n[1] += (Long) attrs.get("size");
      }

      @Override
      public void symlink(String relative, Path l, Map<String, Object> attrs) {}
    });
    return new Size(n[0], n[1]);
  }
}

package io.haven.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What a tree holds, entry by entry: type, permission bits, size, content hash or link target,
 * and mtime in whole seconds. Two equal snapshots mean the trees are the same for a restore.
 */
public final class TreeSnapshot {
  private TreeSnapshot() {}

  /**
   * Relative path → description, for every entry below {@code root} not matched by skip. A
   * skipped entry may come and go during the walk (a live process's journal file); any other
   * entry that vanishes is an error.
   */
  public static Map<String, String> of(Path root, Predicate<String> skip) throws IOException {
    Map<String, String> out = new TreeMap<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        return visitFile(dir, attrs);
      }

      @Override
      public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) throws IOException {
        String rel = root.relativize(p).toString();
        if (!rel.isEmpty() && !skip.test(rel)) {
          out.put(rel, describe(p));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
        if (e instanceof NoSuchFileException && skip.test(root.relativize(p).toString())) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }
    });
    return out;
  }

  /** Fails with the first differences only, so a failure stays readable. */
  public static void assertSame(Map<String, String> expected, Map<String, String> actual,
      String what) {
    java.util.List<String> diffs = new java.util.ArrayList<>();
    java.util.Set<String> keys = new java.util.TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    for (String k : keys) {
      String e = expected.get(k);
      String a = actual.get(k);
      if (!java.util.Objects.equals(e, a)) {
        diffs.add(k + ": expected " + e + ", got " + a);
      }
    }
    if (!diffs.isEmpty()) {
      org.junit.jupiter.api.Assertions.fail(what + ": " + diffs.size() + " differences, first: "
          + String.join("\n  ", diffs.subList(0, Math.min(10, diffs.size()))));
    }
  }

  public static Map<String, String> of(Path root) throws IOException {
    return of(root, r -> false);
  }

  private static String describe(Path p) throws IOException {
    if (Files.isSymbolicLink(p)) {
      return "link -> " + Files.readSymbolicLink(p);
    }
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime",
        LinkOption.NOFOLLOW_LINKS);
    String mode = Integer.toOctalString((Integer) a.get("mode") & 07777);
    long mtime = ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toMillis() / 1000;
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      return "dir " + mode + " " + mtime;
    }
    return "file " + mode + " " + a.get("size") + " " + sha256(p) + " " + mtime;
  }

  /** The bytes the regular files under {@code dir} hold, as a store's growth is measured. */
  public static long fileBytes(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  public static String sha256(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) >= 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

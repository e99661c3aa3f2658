package io.haven.tree;

import java.util.ArrayList;
import java.util.List;

/**
 * Glob excludes matched against a whole relative path, with the semantics of Python 3.13's
 * {@code PurePath.full_match} that the Supervisor uses: {@code *} and {@code ?} stay within one
 * path segment and {@code **} spans any number of whole segments (none included between two
 * others, at least one at the end), so {@code *.log} means top-level only and {@code frigate/**}
 * is everything inside frigate. Every other character is itself.
 *
 * <p>The globs are compiled once into per-segment tests (a name, a prefix or suffix, or a small
 * wildcard match over the path's own characters), because a backup asks for every path it walks:
 * a regular expression per path was the walk's largest cost.
 */
public final class Excludes {
  /** The Supervisor's excludes for Home Assistant's config directory (FORMAT.md section 7). */
  public static final List<String> HOME_ASSISTANT = List.of(
      "**/__pycache__/*", "**/.DS_Store", "*.db-shm", "*.corrupt.*", "*.log.*", "*.log",
      ".storage/*.corrupt.*", "OZW_Log.txt", "backups/*.tar", "tmp_backups/*.tar", "tts/*",
      ".cache/*");

  /** Added when the recorder database is left out. */
  public static final List<String> DATABASE = List.of("home-assistant_v?.db",
      "home-assistant_v?.db-wal");

  public static final Excludes NONE = new Excludes(List.of());

  private final List<String> globs;
  private final Glob[] compiled;

  private Excludes(List<String> globs) {
    this.globs = List.copyOf(globs);
    this.compiled = globs.stream().map(Glob::compile).toArray(Glob[]::new);
  }

  public static Excludes of(List<String> globs) {
    return new Excludes(globs);
  }

  /** This set plus {@code more}. */
  public Excludes plus(List<String> more) {
    List<String> all = new ArrayList<>(globs);
    all.addAll(more);
    return new Excludes(all);
  }

  /**
   * This set plus a user's own globs, written relative to the data root, that reach into the part
   * kept in {@code partDir} (relative to the data root, "/" as separator: "media",
   * "addons/data/core_mosquitto"). A glob that starts with the part's directory applies below it
   * ({@code media/frigate/**} in "media" is {@code frigate/**}); a glob of a single segment is a
   * name matched at any depth of every part ({@code *.mp4} leaves out every MP4 file); a glob
   * starting with {@code **} applies in every part as written; any other names another part.
   * Check each glob first with {@link #checkUserGlob}.
   */
  public Excludes plusUser(String partDir, List<String> userGlobs) {
    List<String> more = new ArrayList<>();
    String prefix = partDir + "/";
    for (String g : userGlobs) {
      if (!g.contains("/")) {
        more.add("**/" + g);
      } else if (g.startsWith("**/")) {
        more.add(g);
      } else if (g.startsWith(prefix)) {
        more.add(g.substring(prefix.length()));
      }
    }
    return more.isEmpty() ? this : plus(more);
  }

  /**
   * Fails with a message a user can act on when {@code glob} cannot be a user exclude: empty, an
   * absolute path, empty segments, or "." and ".." segments.
   */
  public static void checkUserGlob(String glob) {
    if (glob.isBlank()) {
      throw new IllegalArgumentException("an exclude pattern is empty");
    }
    if (glob.startsWith("/")) {
      throw new IllegalArgumentException("exclude '" + glob + "' starts with '/': write it"
          + " relative to the data root, for example media/frigate/**");
    }
    for (String s : (glob.endsWith("/") ? glob.substring(0, glob.length() - 1) : glob)
        .split("/", -1)) {
      if (s.isEmpty() || s.equals(".") || s.equals("..")) {
        throw new IllegalArgumentException("exclude '" + glob + "' has an empty, '.' or '..'"
            + " segment: write it relative to the data root, for example media/frigate/**");
      }
    }
  }

  /** Whether a relative path ("a/b.log", "/" as separator) is excluded. */
  public boolean matches(String relativePath) {
    if (compiled.length == 0) {
      return false;
    }
    int[] bounds = segmentBounds(relativePath);
    for (Glob g : compiled) {
      if (g.matches(relativePath, bounds)) {
        return true;
      }
    }
    return false;
  }

  public List<String> globs() {
    return globs;
  }

  /** Where each segment starts, then one past the end of the path: n segments, n + 1 values. */
  private static int[] segmentBounds(String path) {
    int n = 1;
    for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
      n++;
    }
    int[] b = new int[n + 1];
    int k = 0;
    b[k++] = 0;
    for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
      b[k++] = i + 1;
    }
    b[k] = path.length() + 1; // as if a "/" followed the last segment
    return b;
  }

  /** One glob as segment tests; {@code null} among them stands for "**". */
  private record Glob(Segment[] segments, boolean hasDoubleStar) {
    static Glob compile(String glob) {
      String g = glob.endsWith("/") ? glob.substring(0, glob.length() - 1) : glob;
      String[] parts = g.split("/", -1);
      Segment[] segments = new Segment[parts.length];
      boolean doubleStar = false;
      for (int i = 0; i < parts.length; i++) {
        if (parts[i].equals("**")) {
          doubleStar = true;
        } else {
          segments[i] = Segment.compile(parts[i]);
        }
      }
      return new Glob(segments, doubleStar);
    }

    boolean matches(String path, int[] bounds) {
      int n = bounds.length - 1;
      if (!hasDoubleStar) {
        if (n != segments.length) {
          return false;
        }
        // Last segment first: it differs most often.
        for (int i = n - 1; i >= 0; i--) {
          if (!segments[i].matches(path, bounds[i], bounds[i + 1] - 1)) {
            return false;
          }
        }
        return true;
      }
      return matchFrom(0, 0, path, bounds);
    }

    private boolean matchFrom(int gi, int si, String path, int[] bounds) {
      int n = bounds.length - 1;
      if (gi == segments.length) {
        return si == n;
      }
      Segment s = segments[gi];
      if (s == null) {
        // A trailing "**" takes at least one segment, as in full_match.
        for (int k = gi == segments.length - 1 ? si + 1 : si; k <= n; k++) {
          if (matchFrom(gi + 1, k, path, bounds)) {
            return true;
          }
        }
        return false;
      }
      return si < n && s.matches(path, bounds[si], bounds[si + 1] - 1)
          && matchFrom(gi + 1, si + 1, path, bounds);
    }
  }

  /** One segment's test: a whole name, a fixed start and end around one "*", or wildcards. */
  private record Segment(String text, String prefix, String suffix, boolean general) {
    static Segment compile(String s) {
      int star = s.indexOf('*');
      boolean oneStar = star >= 0 && s.indexOf('*', star + 1) < 0;
      if (s.indexOf('?') < 0 && (star < 0 || oneStar)) {
        return star < 0 ? new Segment(s, s, "", false)
            : new Segment(s, s.substring(0, star), s.substring(star + 1), false);
      }
      return new Segment(s, "", "", true);
    }

    /** Whether {@code path[from, to)} matches. */
    boolean matches(String path, int from, int to) {
      int len = to - from;
      if (general) {
        return wildcard(path, from, to);
      }
      if (prefix.length() == text.length()) { // no "*": the name itself
        return len == text.length() && path.startsWith(text, from);
      }
      return len >= prefix.length() + suffix.length() && path.startsWith(prefix, from)
          && path.startsWith(suffix, to - suffix.length());
    }

    // The classic linear-backtracking match of "*" and "?", remembering only the last "*".
    private boolean wildcard(String path, int from, int to) {
      int p = 0;
      int i = from;
      int star = -1;
      int resume = 0;
      while (i < to) {
        if (p < text.length() && (text.charAt(p) == '?' || text.charAt(p) == path.charAt(i))
            && text.charAt(p) != '*') {
          p++;
          i++;
        } else if (p < text.length() && text.charAt(p) == '*') {
          star = p++;
          resume = i;
        } else if (star >= 0) {
          p = star + 1;
          i = ++resume;
        } else {
          return false;
        }
      }
      while (p < text.length() && text.charAt(p) == '*') {
        p++;
      }
      return p == text.length();
    }
  }

  @Override
  public String toString() {
    return "Excludes" + globs;
  }
}

package io.haven.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Glob excludes matched against a whole relative path, with the semantics of Python 3.13's
 * {@code PurePath.full_match} that the Supervisor uses: {@code *} stays within one path segment and
 * {@code **} spans any number of segments, so {@code *.log} means top-level only.
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
  private final List<Pattern> patterns = new ArrayList<>();

  private Excludes(List<String> globs) {
    this.globs = List.copyOf(globs);
    for (String g : globs) {
      patterns.add(toRegex(g));
    }
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

  /** Whether a relative path ("a/b.log", "/" as separator) is excluded. */
  public boolean matches(String relativePath) {
    for (Pattern p : patterns) {
      if (p.matcher(relativePath).matches()) {
        return true;
      }
    }
    return false;
  }

  public List<String> globs() {
    return globs;
  }

  static Pattern toRegex(String glob) {
    StringBuilder re = new StringBuilder();
    String[] segments = glob.split("/");
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      boolean last = i == segments.length - 1;
      if (s.equals("**")) {
        // Any number of whole segments, including none.
        re.append(last ? ".*" : "(?:[^/]+/)*");
        continue;
      }
      for (char c : s.toCharArray()) {
        switch (c) {
          case '*':
            re.append("[^/]*");
            break;
          case '?':
            re.append("[^/]");
            break;
          default:
            re.append(Pattern.quote(String.valueOf(c)));
        }
      }
      if (!last) {
        re.append('/');
      }
    }
    return Pattern.compile(re.toString());
  }

  @Override
  public String toString() {
    return "Excludes" + globs;
  }
}

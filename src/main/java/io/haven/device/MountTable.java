package io.haven.device;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The mounts of {@code /proc/self/mountinfo}: which device (major:minor) each mount point is on. */
final class MountTable {
  /** A busy container host has a few thousand mounts; past this the file is not mountinfo. */
  private static final int MAX_LINES = 20_000;

  /** One mount: its mount point (unescaped) and the device numbers of its source. */
  record Mount(String mountPoint, String majorMinor) {}

  private final List<Mount> mounts;

  private MountTable(List<Mount> mounts) {
    this.mounts = List.copyOf(mounts);
  }

  static MountTable read(SysTree sys) {
    Optional<Path> file = sys.resolve("/proc/self/mountinfo");
    if (file.isEmpty()) {
      return new MountTable(List.of());
    }
    List<Mount> mounts = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null && mounts.size() < MAX_LINES) {
        parse(line).ifPresent(mounts::add);
      }
    } catch (IOException e) {
      return new MountTable(List.of());
    }
    return new MountTable(mounts);
  }

  /** Fields: id, parent id, major:minor, root, mount point, options, ... (proc(5)). */
  static Optional<Mount> parse(String line) {
    String[] fields = line.split(" ");
    if (fields.length < 5 || !fields[2].matches("\\d+:\\d+")) {
      return Optional.empty();
    }
    return Optional.of(new Mount(unescape(fields[4]), fields[2]));
  }

  /**
   * The mount holding {@code path}: the longest mount point that is the path or one of its parent
   * directories; of equal mount points the last one listed, since it hides the earlier ones.
   */
  Optional<Mount> holding(String path) {
    Mount best = null;
    for (Mount mount : mounts) {
      if (!contains(mount.mountPoint(), path)) {
        continue;
      }
      if (best == null || mount.mountPoint().length() >= best.mountPoint().length()) {
        best = mount;
      }
    }
    return Optional.ofNullable(best);
  }

  boolean isMounted(String majorMinor) {
    return mounts.stream().anyMatch(m -> m.majorMinor().equals(majorMinor));
  }

  private static boolean contains(String mountPoint, String path) {
    if (mountPoint.equals("/")) {
      return path.startsWith("/");
    }
    return path.equals(mountPoint) || path.startsWith(mountPoint + "/");
  }

  /** mountinfo writes space, tab, newline and backslash as octal escapes ("\040"). */
  static String unescape(String field) {
    StringBuilder out = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length()
          && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}

package io.haven.device;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A view of sysfs, procfs and /dev below a root directory. Links are resolved by this class, one
 * component at a time and against the root, so an absolute or {@code ..}-heavy link in a test tree
 * never reaches the host's real /sys. Files are read with a size cap: sysfs attributes are small,
 * and a wrong root must not make us read a disk image into memory.
 */
final class SysTree {
  /** Larger than any sysfs attribute we read (a page); mountinfo gets its own, larger cap. */
  static final int SMALL_FILE_CAP = 4096;

  /** Linux's own limit on nested links (MAXSYMLINKS); a loop in a test tree ends here. */
  private static final int MAX_LINKS = 40;

  private final Path root;

  SysTree(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  /**
   * The canonical location of {@code devicePath} (an absolute path as the device sees it, such as
   * "/sys/block/sda"), with every link resolved inside the root; empty when a component is missing.
   */
  Optional<Path> resolve(String devicePath) {
    List<String> pending = new ArrayList<>(components(devicePath));
    Path at = root;
    int links = 0;
    while (!pending.isEmpty()) {
      String name = pending.remove(0);
      if (name.equals("..")) {
        at = at.equals(root) ? root : at.getParent();
        continue;
      }
      Path next = at.resolve(name);
      if (!Files.isSymbolicLink(next)) {
        if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
          return Optional.empty();
        }
        at = next;
        continue;
      }
      if (++links > MAX_LINKS) {
        return Optional.empty();
      }
      String target = readLink(next).orElse(null);
      if (target == null) {
        return Optional.empty();
      }
      if (target.startsWith("/")) {
        at = root;
      }
      pending.addAll(0, components(target));
    }
    return Optional.of(at);
  }

  /**
   * A node or property of the device tree the firmware handed the kernel ("/aliases/serial0"),
   * under /proc/device-tree or, where that link is missing, /sys/firmware/devicetree/base.
   */
  Optional<Path> deviceTree(String path) {
    return resolve("/proc/device-tree" + path)
        .or(() -> resolve("/sys/firmware/devicetree/base" + path));
  }

  /** The text of a device-tree property; a string list's NULs are left between its strings. */
  Optional<String> readDeviceTree(String property) {
    return deviceTree(property).flatMap(SysTree::readSmall);
  }

  /** The device-side path ("/sys/devices/...") of a location inside the root. */
  String devicePath(Path inRoot) {
    Path relative = root.relativize(inRoot);
    return "/" + relative.toString().replace('\\', '/');
  }

  /** The trimmed text of a small file (trailing NULs and white space removed); empty if absent. */
  Optional<String> read(String devicePath) {
    return resolve(devicePath).flatMap(SysTree::readSmall);
  }

  /** Like {@link #read} for a path that is already resolved inside the root. */
  static Optional<String> readSmall(Path file) {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] bytes = in.readNBytes(SMALL_FILE_CAP);
      return Optional.of(trim(new String(bytes, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      // Some sysfs attributes refuse reads (permissions, a device going away): treat as unknown.
      return Optional.empty();
    }
  }

  /** Names of the entries of a directory (sorted), resolved inside the root; empty if absent. */
  List<String> list(String devicePath) {
    return resolve(devicePath).map(SysTree::names).orElse(List.of());
  }

  static List<String> names(Path dir) {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return names;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        names.add(entry.getFileName().toString());
      }
    } catch (IOException e) {
      return List.of();
    }
    names.sort(null);
    return names;
  }

  /** The raw text of a link, without following it. */
  static Optional<String> readLink(Path link) {
    try {
      return Optional.of(Files.readSymbolicLink(link).toString());
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  static String trim(String text) {
    int end = text.length();
    while (end > 0 && isPadding(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end).strip();
  }

  /** Device-tree strings end in NUL, sysfs attributes in a newline: neither is part of the value. */
  private static boolean isPadding(char c) {
    return c == '\0' || Character.isWhitespace(c);
  }

  private static List<String> components(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return parts;
  }
}

package io.haven.tree;

import io.haven.archive.Part;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The appliance's data directory and where each part lives in it:
 * {@code config/} (Home Assistant), {@code share/}, {@code ssl/}, {@code media/},
 * {@code addons/local/}, and {@code addons/data/<slug>/} for each add-on.
 */
public record DataRoot(Path path) {
  /** Haven's own working names in the data root start with this; they are never backed up. */
  public static final String RESERVED_PREFIX = ".haven-";

  public DataRoot {
    path = path.toAbsolutePath().normalize();
  }

  /** The directory a part is backed up from and restored to. */
  public Path dirOf(Part part) {
    switch (part.kind()) {
      case HOMEASSISTANT:
        return path.resolve("config");
      case ADDON:
        return path.resolve("addons").resolve("data").resolve(part.id());
      default:
        return path.resolve(part.id());
    }
  }

  /** Whether {@code p} lies inside a part's directory (or the add-ons' parent directory). */
  public boolean holdsInPart(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    if (abs.startsWith(path.resolve("addons")) || abs.startsWith(dirOf(Part.homeAssistant()))) {
      return true;
    }
    return Part.FOLDERS.stream().anyMatch(f -> abs.startsWith(dirOf(Part.folder(f))));
  }

  /** The add-ons whose data directories exist, sorted by slug; invalid names are ignored. */
  public List<Part> addons() throws IOException {
    Path dir = path.resolve("addons").resolve("data");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Part> parts = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().forEach(slug -> {
        try {
          parts.add(Part.addon(slug));
        } catch (IllegalArgumentException e) {
          // Not a slug Home Assistant could name: not an add-on.
        }
      });
    }
    return parts;
  }

  /**
   * Lays out an empty data root when there is none yet (first use on a new machine): the part
   * directories, empty. An existing root is left as it is.
   */
  public void createIfMissing() throws IOException {
    if (Files.exists(path)) {
      return;
    }
    Files.createDirectories(dirOf(Part.homeAssistant()));
    Files.createDirectories(path.resolve("addons").resolve("data"));
    for (String f : Part.FOLDERS) {
      Files.createDirectories(path.resolve(f));
    }
  }

  /** Every part that exists on disk, in full-backup order: Home Assistant, add-ons, folders. */
  public List<Part> present() throws IOException {
    List<Part> parts = new ArrayList<>();
    if (Files.isDirectory(dirOf(Part.homeAssistant()))) {
      parts.add(Part.homeAssistant());
    }
    parts.addAll(addons());
    for (String f : Part.FOLDERS) {
      if (Files.isDirectory(dirOf(Part.folder(f)))) {
        parts.add(Part.folder(f));
      }
    }
    return parts;
  }
}

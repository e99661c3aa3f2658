package io.haven.location;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The user's named locations, kept in one YAML file that only its owner may read (mode 0600),
 * because it holds their secrets:
 *
 * <pre>
 * locations:
 *   nas:
 *     url: sftp://haven@nas:22/backup
 *     options: {hostKey: "SHA256:..."}
 *     secrets: {password: "..."}
 * </pre>
 *
 * Every change rewrites the file under a temporary name and renames it, so a crash leaves the old
 * file or the new one. A missing file is an empty registry.
 */
public final class LocationRegistry {
  /** One location as stored; the name is its key in the file. */
  record Entry(String url, Map<String, String> options, Map<String, String> secrets) {
    static Entry of(LocationSpec spec) {
      return new Entry(spec.url().toString(), spec.options(), spec.secrets());
    }
  }

  private static final TypeReference<Map<String, Map<String, Entry>>> FORMAT =
      new TypeReference<>() {};
  private static final String OWNER_ONLY = "rw-------";

  private final Path file;
  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  public LocationRegistry(Path file) {
    this.file = file;
  }

  /** All locations, sorted by name. */
  public List<LocationSpec> list() throws IOException {
    return load().entrySet().stream().map(e -> spec(e.getKey(), e.getValue())).toList();
  }

  public Optional<LocationSpec> get(String name) throws IOException {
    return Optional.ofNullable(load().get(name)).map(entry -> spec(name, entry));
  }

  /**
   * Adds {@code spec}.
   *
   * @throws IllegalArgumentException if a location of that name exists; remove it first
   */
  public void add(LocationSpec spec) throws IOException {
    TreeMap<String, Entry> all = load();
    if (all.containsKey(spec.name())) {
      throw new IllegalArgumentException("A location named '" + spec.name() + "' exists already;"
          + " remove it first or choose another name");
    }
    all.put(spec.name(), Entry.of(spec));
    save(all);
  }

  /**
   * Replaces the location of {@code spec}'s name with {@code spec}.
   *
   * @throws LocationException.NotFound if there is no location of that name
   */
  public void replace(LocationSpec spec) throws IOException {
    TreeMap<String, Entry> all = load();
    if (!all.containsKey(spec.name())) {
      throw new LocationException.NotFound("No location named '" + spec.name() + "'. See"
          + " 'haven locations list'.", null);
    }
    all.put(spec.name(), Entry.of(spec));
    save(all);
  }

  /** Removes the named location; returns false if there was none. */
  public boolean remove(String name) throws IOException {
    TreeMap<String, Entry> all = load();
    if (all.remove(name) == null) {
      return false;
    }
    save(all);
    return true;
  }

  // A file written before secrets were kept apart may hold one as an option: it moves to the
  // secrets, where its location looks for it, and out of every listing.
  private static LocationSpec spec(String name, Entry entry) {
    LocationSpec spec = new LocationSpec(name, URI.create(entry.url()), Map.of(),
        entry.secrets());
    for (Map.Entry<String, String> option : nonNull(entry.options()).entrySet()) {
      spec = spec.with(option.getKey(), option.getValue());
    }
    return spec;
  }

  private static Map<String, String> nonNull(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }

  private TreeMap<String, Entry> load() throws IOException {
    if (!Files.exists(file)) {
      return new TreeMap<>();
    }
    try (InputStream in = Files.newInputStream(file)) {
      Map<String, Map<String, Entry>> root = yaml.readValue(in, FORMAT);
      Map<String, Entry> locations = root == null ? null : root.get("locations");
      return locations == null ? new TreeMap<>() : new TreeMap<>(locations);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new LocationException.Misconfigured("The locations file " + file + " cannot be read: "
          + e.getOriginalMessage() + ". Fix or remove it.");
    }
  }

  private void save(TreeMap<String, Entry> all) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    // Created 0600 from the start: a secret must never sit in a world-readable file, even briefly.
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), Names.TEMP_SUFFIX,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY)));
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        yaml.writeValue(out, Map.of("locations", all));
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public String toString() {
    return "LocationRegistry[" + file + "]";
  }
}

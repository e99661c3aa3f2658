package io.haven.archive;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A backup's {@code backup.json} (Home Assistant's schema version 2, FORMAT.md section 2). Keys this
 * model does not name are kept in {@code unknown} and written back, as the Supervisor does.
 */
public record BackupMetadata(
    String slug,
    String name,
    String date,
    Type type,
    boolean compressed,
    boolean isProtected,
    Optional<HomeAssistantInfo> homeassistant,
    List<String> folders,
    List<AddonInfo> addons,
    List<String> repositories,
    String supervisorVersion,
    ObjectNode extra,
    ObjectNode unknown) {

  /** full: everything was included, so a full restore is allowed; partial: a chosen subset. */
  public enum Type {
    FULL,
    PARTIAL;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The Supervisor version Haven claims: old enough that every Supervisor since 2025 accepts it. */
  public static final String SUPERVISOR_VERSION = "2025.01.0";

  public BackupMetadata {
    if (slug == null || slug.isBlank() || slug.contains("/")) {
      throw new IllegalArgumentException("invalid slug '" + slug + "'");
    }
    if (date == null || date.isBlank()) {
      throw new IllegalArgumentException("a backup date is required");
    }
    name = name == null ? "" : name;
    folders = List.copyOf(folders);
    for (String f : folders) {
      Part.folder(f);
    }
    addons = List.copyOf(addons);
    repositories = List.copyOf(repositories);
    supervisorVersion = supervisorVersion == null ? SUPERVISOR_VERSION : supervisorVersion;
    extra = extra == null ? JsonNodeFactory.instance.objectNode() : extra.deepCopy();
    unknown = unknown == null ? JsonNodeFactory.instance.objectNode() : unknown.deepCopy();
  }

  @Override
  public ObjectNode extra() {
    return extra.deepCopy();
  }

  @Override
  public ObjectNode unknown() {
    return unknown.deepCopy();
  }

  /** The parts this backup says it holds: Home Assistant, then add-ons, then folders. */
  public List<Part> parts() {
    List<Part> parts = new ArrayList<>();
    homeassistant.ifPresent(h -> parts.add(Part.homeAssistant()));
    addons.forEach(a -> parts.add(Part.addon(a.slug())));
    folders.forEach(f -> parts.add(Part.folder(f)));
    return List.copyOf(parts);
  }

  /** Haven's facts, when Haven wrote this backup. */
  public Optional<HavenFacts> haven() {
    return extra.has("haven") && extra.get("haven").isObject()
        ? Optional.of(HavenFacts.fromJson(extra.get("haven")))
        : Optional.empty();
  }

  /** This metadata with Haven's facts set (replacing any earlier ones). */
  public BackupMetadata withHaven(HavenFacts facts) {
    ObjectNode e = extra();
    e.set("haven", facts.toJson());
    return new BackupMetadata(slug, name, date, type, compressed, isProtected, homeassistant,
        folders, addons, repositories, supervisorVersion, e, unknown);
  }

  /**
   * What a listing keeps of this backup: every field Haven shows or decides by, and of
   * {@code extra} (and of the device facts in Haven's) only the scalar {@code keys}. Unknown
   * keys, repositories and everything else a backup.json may carry stay in the archive, so that
   * a directory of backups whose backup.json files are as large as allowed fits a small heap.
   */
  public BackupMetadata summary(Set<String> keys) {
    ObjectNode e = scalars(extra, keys);
    haven().ifPresent(h -> e.set("haven", new HavenFacts(h.havenVersion(), h.compression(),
        h.encryption(), h.parts(), scalars(h.source(), keys), List.of()).toJson()));
    return new BackupMetadata(slug, name, date, type, compressed, isProtected, homeassistant,
        folders, addons, List.of(), supervisorVersion, e, null);
  }

  private static ObjectNode scalars(ObjectNode from, Set<String> keys) {
    ObjectNode kept = JsonNodeFactory.instance.objectNode();
    keys.forEach(k -> {
      if (from.path(k).isValueNode()) {
        kept.set(k, from.get(k));
      }
    });
    return kept;
  }

  /** This metadata with another protection and compression flag (an export into another form). */
  public BackupMetadata withForm(boolean compressed, boolean isProtected) {
    return new BackupMetadata(slug, name, date, type, compressed, isProtected, homeassistant,
        folders, addons, repositories, supervisorVersion, extra, unknown);
  }
}

package io.haven.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.archive.AddonInfo;
import io.haven.archive.BackupMetadata;
import io.haven.store.StoredBackup;

/**
 * A stored backup in the Supervisor API's JSON shapes (FORMAT.md section 5): the list item and
 * the detail. The command line's {@code --raw-json} and the HTTP API print the same.
 */
public final class BackupView {
  private BackupView() {}

  /** A {@code /backups} list item of a backup in the backup directory. */
  public static ObjectNode item(StoredBackup b) {
    return item(PlacedBackup.local(b));
  }

  /**
   * A {@code /backups} list item: {@code location} is the first place (null for the backup
   * directory), {@code locations} all of them, {@code location_attributes} each one's size.
   */
  public static ObjectNode item(PlacedBackup b) {
    BackupMetadata m = b.metadata();
    ObjectNode o = common(b);
    ObjectNode content = o.putObject("content");
    content.put("homeassistant", m.homeassistant().isPresent());
    ArrayNode addons = content.putArray("addons");
    m.addons().forEach(a -> addons.add(a.slug()));
    ArrayNode folders = content.putArray("folders");
    m.folders().forEach(folders::add);
    return o;
  }

  /** A {@code /backups/{slug}/info} detail of a backup in the backup directory. */
  public static ObjectNode detail(StoredBackup b) {
    return detail(PlacedBackup.local(b));
  }

  /** A {@code /backups/{slug}/info} detail, with the places as in {@link #item(PlacedBackup)}. */
  public static ObjectNode detail(PlacedBackup b) {
    BackupMetadata m = b.metadata();
    ObjectNode o = common(b);
    o.put("supervisor_version", m.supervisorVersion());
    o.put("homeassistant", m.homeassistant().map(h -> h.version()).orElse(null));
    ArrayNode addons = o.putArray("addons");
    for (AddonInfo a : m.addons()) {
      addons.addObject().put("slug", a.slug()).put("name", a.name())
          .put("version", a.version()).put("size", 0.0);
    }
    o.putArray("repositories");
    ArrayNode folders = o.putArray("folders");
    m.folders().forEach(folders::add);
    o.put("homeassistant_exclude_database",
        m.homeassistant().map(h -> h.excludeDatabase()).orElse(false));
    o.set("extra", m.extra());
    return o;
  }

  private static ObjectNode common(PlacedBackup b) {
    BackupMetadata m = b.metadata();
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("slug", m.slug());
    o.put("name", m.name());
    o.put("date", m.date());
    o.put("type", m.type().toString());
    o.put("size", Math.round(b.size() / 1048576.0 * 100) / 100.0);
    o.put("size_bytes", b.size());
    o.put("location", b.primary().apiName());
    ArrayNode locations = o.putArray("locations");
    b.places().forEach(p -> locations.add(p.apiName()));
    o.put("protected", m.isProtected());
    o.put("compressed", m.compressed());
    o.put("file", b.fileName());
    ObjectNode attributes = o.putObject("location_attributes");
    b.sizes().forEach((place, size) -> attributes.putObject(place.key())
        .put("protected", m.isProtected()).put("size_bytes", size));
    return o;
  }
}

package io.haven.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.agent.BackupView;
import io.haven.agent.ScheduledRun;
import io.haven.archive.BackupJson;
import io.haven.archive.Compression;
import io.haven.archive.Part;
import io.haven.archive.SecureTar;
import io.haven.archive.Secret;
import io.haven.backup.BackupRequest;
import io.haven.backup.BackupResult;
import io.haven.restore.RestoreRequest;
import io.haven.restore.RestoreResult;
import io.haven.store.StoredBackup;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Requests and results as JSON: the Supervisor's request fields (name, password, compressed,
 * homeassistant, addons, folders, ...) plus Haven's (compression, encryption), and the socket's
 * results, which carry backup.json whole so a client rebuilds exactly what the agent has.
 */
final class Wire {
  static final ObjectMapper JSON = new ObjectMapper();

  private Wire() {}

  /**
   * A backup request. {@code full} is the path's choice; a socket request is full when it names
   * no part. {@code present} is what "addons": "ALL" means.
   */
  static BackupRequest backupRequest(JsonNode b, Optional<Boolean> full, List<Part> present,
      Compression byDefault) {
    List<Part> parts = parts(b, present);
    boolean isFull = full.orElse(parts.isEmpty());
    if (!isFull && parts.isEmpty()) {
      throw new IllegalArgumentException("a partial backup needs homeassistant, addons or"
          + " folders; for everything use /backups/new/full");
    }
    return new BackupRequest(b.path("name").asText(""), isFull ? List.of() : parts,
        text(b, "password").map(Secret.Password::new), compression(b, byDefault),
        encryption(b), b.path("homeassistant_exclude_database").asBoolean(false),
        text(b, "filename"));
  }

  /** A restore request; full unless the body names parts (or the path says partial). */
  static RestoreRequest restoreRequest(JsonNode b, Optional<Boolean> full) {
    List<Part> parts = parts(b, List.of());
    boolean isFull = full.orElse(parts.isEmpty());
    if (!isFull && parts.isEmpty()) {
      throw new IllegalArgumentException("a partial restore needs homeassistant, addons or"
          + " folders; for everything use restore/full");
    }
    Optional<Secret> secret = text(b, "key").<Secret>map(k -> new Secret.RawKey(
        HexFormat.of().parseHex(k))).or(() -> text(b, "password").map(Secret.Password::new));
    return new RestoreRequest(isFull ? List.of() : parts, secret,
        b.path("force").asBoolean(false));
  }

  /**
   * The Supervisor's {@code location} field of a new backup or a delete: a name or a list of
   * them, where null, "" and ".local" mean the backup directory ({@value ScheduledRun#LOCAL}).
   * In the order given, without repeats; absent (or an empty list) is {@code absent}.
   */
  static List<String> locations(JsonNode b, List<String> absent) {
    JsonNode field = b.get("location");
    if (field == null || (field.isArray() && field.isEmpty())) {
      return absent;
    }
    List<String> places = new ArrayList<>();
    for (JsonNode l : field.isArray() ? field : List.of(field)) {
      String place = place(l);
      if (!places.contains(place)) {
        places.add(place);
      }
    }
    return List.copyOf(places);
  }

  /** The {@code location} of a restore: one name, or the backup directory. */
  static String restoreLocation(JsonNode b) {
    return b.has("location") ? place(b.get("location")) : ScheduledRun.LOCAL;
  }

  private static String place(JsonNode l) {
    if (l.isNull()) {
      return ScheduledRun.LOCAL;
    }
    if (!l.isTextual()) {
      throw new IllegalArgumentException("location must be a location name, null or \".local\""
          + " (a list of them for a new backup or a delete), not " + l);
    }
    return l.asText().isEmpty() ? ScheduledRun.LOCAL : l.asText();
  }

  private static List<Part> parts(JsonNode b, List<Part> present) {
    List<Part> parts = new ArrayList<>();
    if (b.path("homeassistant").asBoolean(false)) {
      parts.add(Part.homeAssistant());
    }
    JsonNode addons = b.path("addons");
    if (addons.isTextual() && addons.asText().equals("ALL")) {
      present.stream().filter(p -> p.kind() == Part.Kind.ADDON).forEach(parts::add);
    } else {
      addons.forEach(a -> parts.add(Part.addon(a.asText())));
    }
    for (JsonNode f : b.path("folders")) {
      parts.add(f.asText().equals("homeassistant") ? Part.homeAssistant() : Part.folder(f.asText()));
    }
    return parts.stream().distinct().toList();
  }

  // The Supervisor's quirk: an explicit "compressed": null makes an uncompressed backup.
  private static Compression compression(JsonNode b, Compression byDefault) {
    if (b.hasNonNull("compression")) {
      return Compression.parse(b.get("compression").asText());
    }
    if (b.has("compressed") && !b.get("compressed").asBoolean(false)) {
      return Compression.NONE;
    }
    return byDefault;
  }

  private static SecureTar.Version encryption(JsonNode b) {
    String v = b.path("encryption").asText("v3").toLowerCase();
    switch (v) {
      case "v2":
        return SecureTar.Version.V2;
      case "v3":
        return SecureTar.Version.V3;
      default:
        throw new IllegalArgumentException("unknown encryption '" + v + "': use v2 or v3");
    }
  }

  private static Optional<String> text(JsonNode b, String field) {
    return Optional.ofNullable(b.get(field)).filter(JsonNode::isTextual).map(JsonNode::asText)
        .filter(s -> !s.isEmpty());
  }

  /** The socket's form of a backup request: the fields {@link #backupRequest} reads. */
  static ObjectNode encode(BackupRequest r) {
    ObjectNode o = partsJson(r.parts());
    o.put("name", r.name());
    r.password().ifPresent(p -> o.put("password", p.value()));
    o.put("compression", r.compression().toString());
    o.put("encryption", r.encryption().name().toLowerCase());
    o.put("homeassistant_exclude_database", r.excludeDatabase());
    r.fileName().ifPresent(f -> o.put("filename", f));
    return o;
  }

  /** The socket's form of a restore request. */
  static ObjectNode encode(RestoreRequest r) {
    ObjectNode o = partsJson(r.parts());
    r.secret().ifPresent(s -> {
      if (s instanceof Secret.Password p) {
        o.put("password", p.value());
      } else {
        o.put("key", HexFormat.of().formatHex(((Secret.RawKey) s).key()));
      }
    });
    if (r.force()) {
      o.put("force", true);
    }
    return o;
  }

  private static ObjectNode partsJson(List<Part> parts) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("homeassistant", parts.contains(Part.homeAssistant()));
    ArrayNode addons = o.putArray("addons");
    ArrayNode folders = o.putArray("folders");
    for (Part p : parts) {
      if (p.kind() == Part.Kind.ADDON) {
        addons.add(p.id());
      } else if (p.kind() == Part.Kind.FOLDER) {
        folders.add(p.id());
      }
    }
    return o;
  }

  /** A list item plus what rebuilds the {@link StoredBackup}: path, file time, backup.json. */
  static ObjectNode stored(StoredBackup b) throws IOException {
    ObjectNode o = BackupView.item(b);
    o.put("path", b.file().toString());
    o.put("modified", b.modified().toString());
    o.set("backup_json", JSON.readTree(BackupJson.write(b.metadata())));
    return o;
  }

  static StoredBackup stored(JsonNode o) throws IOException {
    return new StoredBackup(Path.of(o.get("path").asText()), metadata(o.get("backup_json")),
        o.get("size_bytes").asLong(), Instant.parse(o.get("modified").asText()));
  }

  static ObjectNode result(BackupResult r) throws IOException {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("slug", r.metadata().slug());
    o.put("path", r.file().toString());
    o.put("size_bytes", r.size());
    ArrayNode warnings = o.putArray("warnings");
    r.warnings().forEach(warnings::add);
    o.set("backup_json", JSON.readTree(BackupJson.write(r.metadata())));
    return o;
  }

  static BackupResult backupResult(JsonNode o) throws IOException {
    List<String> warnings = new ArrayList<>();
    o.get("warnings").forEach(w -> warnings.add(w.asText()));
    return new BackupResult(Path.of(o.get("path").asText()), metadata(o.get("backup_json")),
        o.get("size_bytes").asLong(), warnings);
  }

  static ObjectNode result(RestoreResult r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ArrayNode parts = o.putArray("restored");
    r.parts().forEach(p -> parts.addObject().put("kind", p.kind().name()).put("id", p.id()));
    o.put("entries", r.entries());
    o.put("bytes", r.bytes());
    return o;
  }

  static RestoreResult restoreResult(JsonNode o) {
    List<Part> parts = new ArrayList<>();
    o.get("restored").forEach(p -> parts.add(new Part(Part.Kind.valueOf(p.get("kind").asText()),
        p.get("id").asText())));
    return new RestoreResult(parts, o.get("entries").asLong(), o.get("bytes").asLong());
  }

  private static io.haven.archive.BackupMetadata metadata(JsonNode json) throws IOException {
    return BackupJson.read(new ByteArrayInputStream(JSON.writeValueAsBytes(json)),
        "backup.json from the agent");
  }
}

package io.haven.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.agent.BackupView;
import io.haven.agent.Made;
import io.haven.agent.NewBackup;
import io.haven.agent.OffsiteBackups;
import io.haven.agent.Place;
import io.haven.agent.RestoreBackup;
import io.haven.archive.BackupJson;
import io.haven.archive.BackupMetadata;
import io.haven.archive.Compression;
import io.haven.archive.Part;
import io.haven.archive.SecureTar;
import io.haven.archive.Secret;
import io.haven.backup.BackupRequest;
import io.haven.backup.BackupResult;
import io.haven.restore.RestoreRequest;
import io.haven.restore.RestoreResult;
import io.haven.store.OffsiteCopies;
import io.haven.store.StoredBackup;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Requests and results as JSON: the Supervisor's request fields (name, password, compressed,
 * homeassistant, addons, folders, location, ...) plus Haven's (compression, encryption, compat,
 * excludes), and the socket's
 * results, which carry backup.json whole so a client rebuilds exactly what the agent has.
 */
final class Wire {
  static final ObjectMapper JSON = new ObjectMapper();

  private Wire() {}

  /**
   * A new backup. {@code full} is the path's choice; a socket request is full when it names no
   * part. {@code present} is what "addons": "ALL" means. What the body leaves out stays empty, for
   * the service to take from the config.
   */
  static NewBackup newBackup(JsonNode b, Optional<Boolean> full, List<Part> present)
      throws ApiException {
    try {
      List<Part> parts = parts(b, present);
      boolean isFull = full.orElse(parts.isEmpty());
      if (!isFull && parts.isEmpty()) {
        throw new ApiException.BadRequest("a partial backup needs homeassistant, addons or"
            + " folders; for everything use /backups/new/full");
      }
      List<Place.Named> copyTo = new ArrayList<>();
      for (Place p : places(b, List.of(Place.LOCAL))) {
        if (p instanceof Place.Named n) {
          copyTo.add(n);
        }
      }
      return new NewBackup(b.path("name").asText(""), isFull ? List.of() : parts,
          text(b, "password").map(Secret.Password::new), compression(b), encryption(b),
          b.path("compat").asBoolean(false), b.path("homeassistant_exclude_database")
              .asBoolean(false), text(b, "filename"), copyTo, strings(b, "excludes"));
    } catch (IllegalArgumentException e) {
      throw new ApiException.BadRequest(e.getMessage());
    }
  }

  /** A restore of {@code slug}; full unless the body names parts (or the path says partial). */
  static RestoreBackup restoreBackup(String slug, JsonNode b, Optional<Boolean> full)
      throws ApiException {
    return new RestoreBackup(slug, b.has("location") ? place(b.get("location")) : Place.LOCAL,
        restoreRequest(b, full));
  }

  /** A restore request; full unless the body names parts (or the path says partial). */
  static RestoreRequest restoreRequest(JsonNode b, Optional<Boolean> full) throws ApiException {
    try {
      List<Part> parts = parts(b, List.of());
      boolean isFull = full.orElse(parts.isEmpty());
      if (!isFull && parts.isEmpty()) {
        throw new ApiException.BadRequest("a partial restore needs homeassistant, addons or"
            + " folders; for everything use restore/full");
      }
      return new RestoreRequest(isFull ? List.of() : parts, secret(b),
          b.path("force").asBoolean(false));
    } catch (IllegalArgumentException e) {
      throw new ApiException.BadRequest(e.getMessage());
    }
  }

  /** The password (or raw key, in hex) a body carries. */
  static Optional<Secret> secret(JsonNode b) throws ApiException {
    try {
      return text(b, "key").<Secret>map(k -> new Secret.RawKey(HexFormat.of().parseHex(k)))
          .or(() -> text(b, "password").map(Secret.Password::new));
    } catch (IllegalArgumentException e) {
      throw new ApiException.BadRequest("key must be 32 hex digits (16 bytes): "
          + e.getMessage());
    }
  }

  /**
   * The Supervisor's {@code location} field of a new backup or a delete: a name or a list of
   * them, where null, "" and ".local" mean the backup directory. In the order given, without
   * repeats; absent (or an empty list) is {@code absent}.
   */
  static List<Place> places(JsonNode b, List<Place> absent) throws ApiException {
    JsonNode field = b.get("location");
    if (field == null || (field.isArray() && field.isEmpty())) {
      return absent;
    }
    List<Place> places = new ArrayList<>();
    for (JsonNode l : field.isArray() ? field : List.of(field)) {
      Place place = place(l);
      if (!places.contains(place)) {
        places.add(place);
      }
    }
    return List.copyOf(places);
  }

  /** The locations a copy goes to, from the same {@code location} field; at least one. */
  static List<Place.Named> named(JsonNode b) throws ApiException {
    List<Place.Named> named = new ArrayList<>();
    for (Place p : places(b, List.of())) {
      if (!(p instanceof Place.Named n)) {
        throw new ApiException.BadRequest("A copy goes to a location; the backup directory"
            + " already holds the backup.");
      }
      named.add(n);
    }
    if (named.isEmpty()) {
      throw new ApiException.BadRequest("Name the locations to copy to in \"location\".");
    }
    return named;
  }

  /** One place by name: null, "" and ".local" are the backup directory. */
  static Place place(JsonNode l) throws ApiException {
    if (l == null || l.isNull()) {
      return Place.LOCAL;
    }
    if (!l.isTextual()) {
      throw new ApiException.BadRequest("location must be a location name, null or \".local\""
          + " (a list of them for a new backup or a delete), not " + l);
    }
    return Place.of(l.asText());
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
  private static Optional<Compression> compression(JsonNode b) {
    if (b.hasNonNull("compression")) {
      return Optional.of(Compression.parse(b.get("compression").asText()));
    }
    if (b.has("compressed") && !b.get("compressed").asBoolean(false)) {
      return Optional.of(Compression.NONE);
    }
    return Optional.empty();
  }

  private static Optional<SecureTar.Version> encryption(JsonNode b) throws ApiException {
    if (!b.hasNonNull("encryption")) {
      return Optional.empty();
    }
    String v = b.get("encryption").asText().toLowerCase(Locale.ROOT);
    switch (v) {
      case "v2":
        return Optional.of(SecureTar.Version.V2);
      case "v3":
        return Optional.of(SecureTar.Version.V3);
      default:
        throw new ApiException.BadRequest("unknown encryption '" + v + "': use v2 or v3");
    }
  }

  private static List<String> strings(JsonNode b, String field) throws ApiException {
    JsonNode list = b.path(field);
    if (list.isMissingNode() || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new ApiException.BadRequest(field + " must be a list of strings");
    }
    List<String> all = new ArrayList<>();
    for (JsonNode s : list) {
      if (!s.isTextual()) {
        throw new ApiException.BadRequest(field + " must be a list of strings, not " + list);
      }
      all.add(s.asText());
    }
    return all;
  }

  private static Optional<String> text(JsonNode b, String field) {
    return Optional.ofNullable(b.get(field)).filter(JsonNode::isTextual).map(JsonNode::asText)
        .filter(s -> !s.isEmpty());
  }

  /** The socket's form of a new backup: the fields {@link #newBackup} reads. */
  static ObjectNode encode(NewBackup r) {
    ObjectNode o = partsJson(r.parts());
    o.put("name", r.name());
    r.password().ifPresent(p -> o.put("password", p.value()));
    r.compression().ifPresent(c -> o.put("compression", c.toString()));
    r.encryption().ifPresent(v -> o.put("encryption", v.name().toLowerCase(Locale.ROOT)));
    o.put("compat", r.compat());
    o.put("homeassistant_exclude_database", r.excludeDatabase());
    r.fileName().ifPresent(f -> o.put("filename", f));
    ArrayNode places = o.putArray("location");
    places.addNull();
    r.copyTo().forEach(p -> places.add(p.name()));
    ArrayNode excludes = o.putArray("excludes");
    r.excludes().forEach(excludes::add);
    return o;
  }

  /** The socket's form of a restore. */
  static ObjectNode encode(RestoreBackup r) {
    ObjectNode o = partsJson(r.request().parts());
    o.put("slug", r.slug());
    o.put("location", r.from().apiName());
    r.request().secret().ifPresent(s -> {
      if (s instanceof Secret.Password p) {
        o.put("password", p.value());
      } else {
        o.put("key", HexFormat.of().formatHex(((Secret.RawKey) s).key()));
      }
    });
    if (r.request().force()) {
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

  /** A new backup and its copies, with what rebuilds them in a client. */
  static ObjectNode result(Made m) throws IOException {
    BackupResult r = m.backup();
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("slug", r.metadata().slug());
    o.put("path", r.file().toString());
    o.put("size_bytes", r.size());
    ArrayNode warnings = o.putArray("warnings");
    r.warnings().forEach(warnings::add);
    o.set("backup_json", JSON.readTree(BackupJson.write(r.metadata())));
    o.set("copies", copies(m.copies()));
    return o;
  }

  /** Each location's copy, or its failure as the API reports one. */
  static ArrayNode copies(List<OffsiteBackups.CopyOutcome> outcomes) {
    ArrayNode copies = JsonNodeFactory.instance.arrayNode();
    for (OffsiteBackups.CopyOutcome c : outcomes) {
      ObjectNode item = copies.addObject().put("location", c.location());
      c.copy().ifPresent(k -> item.put("file", k.name()).put("size_bytes", k.size())
          .put("sha256", k.sha256()).put("already_there", k.alreadyThere()));
      c.failure().ifPresent(e -> {
        Failure f = Failure.of(e);
        item.put("message", f.message()).put("exit_code", f.exitCode())
            .put("http_status", f.httpStatus());
      });
    }
    return copies;
  }

  static Made made(JsonNode o) throws IOException {
    List<String> warnings = new ArrayList<>();
    o.get("warnings").forEach(w -> warnings.add(w.asText()));
    BackupResult r = new BackupResult(Path.of(o.get("path").asText()),
        metadata(o.get("backup_json")), o.get("size_bytes").asLong(), warnings);
    return new Made(r, copyOutcomes(o.path("copies")));
  }

  /** The outcomes {@link #copies} wrote; a failure comes back with its message and exit code. */
  static List<OffsiteBackups.CopyOutcome> copyOutcomes(JsonNode items) {
    List<OffsiteBackups.CopyOutcome> copies = new ArrayList<>();
    for (JsonNode c : items) {
      String location = c.get("location").asText();
      copies.add(c.has("message")
          ? new OffsiteBackups.CopyOutcome(location, Optional.empty(), Optional.of(
              new ApiException.Remote(c.get("message").asText(), c.get("exit_code").asInt(),
                  c.get("http_status").asInt())))
          : new OffsiteBackups.CopyOutcome(location, Optional.of(new OffsiteCopies.Copy(
              location, c.get("file").asText(), c.get("size_bytes").asLong(),
              c.get("sha256").asText(), c.get("already_there").asBoolean())), Optional.empty()));
    }
    return copies;
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

  private static BackupMetadata metadata(JsonNode json) throws IOException {
    return BackupJson.read(new ByteArrayInputStream(JSON.writeValueAsBytes(json)),
        "backup.json from the agent");
  }
}

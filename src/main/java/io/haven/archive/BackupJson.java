package io.haven.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads and writes backup.json the way the Supervisor does: compact, unknown keys kept. */
public final class BackupJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  // backup.json is small; a bigger one is not a backup.json.
  private static final int MAX_BYTES = 4 * 1024 * 1024;

  private static final Set<String> KNOWN = Set.of(
      "slug", "version", "name", "date", "type", "supervisor_version", "extra", "folders",
      "homeassistant", "compressed", "addons", "repositories", "protected", "crypto");

  private BackupJson() {}

  /** Parses backup.json; {@code what} names the archive for messages. */
  public static BackupMetadata read(InputStream in, String what) throws ArchiveException {
    JsonNode root;
    try {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new ArchiveException.Corrupt(what + ": backup.json is larger than 4 MiB; not a backup");
      }
      root = MAPPER.readTree(bytes);
    } catch (ArchiveException e) {
      throw e;
    } catch (JsonProcessingException e) {
      throw new ArchiveException.Corrupt(what + ": backup.json is not valid JSON ("
          + e.getOriginalMessage() + "); the archive is damaged", e);
    } catch (IOException e) {
      throw new ArchiveException.Corrupt(what + ": backup.json cannot be read: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ArchiveException.Corrupt(what + ": backup.json is not a JSON object");
    }
    try {
      return fromJson((ObjectNode) root);
    } catch (IllegalArgumentException e) {
      throw new ArchiveException.Corrupt(what + ": backup.json is invalid: " + e.getMessage(), e);
    }
  }

  private static BackupMetadata fromJson(ObjectNode o) {
    String slug = requiredText(o, "slug");
    ObjectNode unknown = o.objectNode();
    o.fields().forEachRemaining(e -> {
      if (!KNOWN.contains(e.getKey())) {
        unknown.set(e.getKey(), e.getValue());
      }
    });
    List<String> folders = new ArrayList<>();
    boolean legacyHomeAssistantFolder = false;
    for (JsonNode f : o.path("folders")) {
      // v1 backups list "homeassistant" as a folder; it means "Home Assistant is included".
      if (f.asText().equals("homeassistant")) {
        legacyHomeAssistantFolder = true;
      } else if (!folders.contains(f.asText())) {
        folders.add(f.asText());
      }
    }
    List<AddonInfo> addons = new ArrayList<>();
    for (JsonNode a : o.path("addons")) {
      addons.add(new AddonInfo(a.path("slug").asText(), a.path("name").asText(null),
          a.path("version").asText(null)));
    }
    List<String> repositories = new ArrayList<>();
    o.path("repositories").forEach(r -> repositories.add(r.asText()));
    JsonNode extra = o.path("extra");
    return new BackupMetadata(
        slug,
        o.path("name").asText(""),
        requiredText(o, "date"),
        o.path("type").asText("partial").equals("full")
            ? BackupMetadata.Type.FULL : BackupMetadata.Type.PARTIAL,
        !o.has("compressed") || o.get("compressed").asBoolean(true),
        isProtected(o.get("protected")),
        homeAssistant(o.path("homeassistant"), legacyHomeAssistantFolder),
        folders,
        addons,
        repositories,
        o.hasNonNull("supervisor_version") ? o.get("supervisor_version").asText() : null,
        extra.isObject() ? (ObjectNode) extra : null,
        unknown);
  }

  // v1 quirk: a non-boolean value (the old "protected" held a hint string) means protected.
  private static boolean isProtected(JsonNode p) {
    if (p == null || p.isNull()) {
      return false;
    }
    return p.isBoolean() ? p.booleanValue() : true;
  }

  // An object without a version is treated as "not included", as the Supervisor does.
  private static Optional<HomeAssistantInfo> homeAssistant(JsonNode h, boolean legacyFolder) {
    if (h.isObject() && h.hasNonNull("version") && !h.get("version").asText().isBlank()) {
      return Optional.of(new HomeAssistantInfo(h.get("version").asText(),
          h.path("exclude_database").asBoolean(false)));
    }
    return legacyFolder ? Optional.of(new HomeAssistantInfo("unknown", false)) : Optional.empty();
  }

  private static String requiredText(ObjectNode o, String key) {
    JsonNode v = o.get(key);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException("'" + key + "' is missing");
    }
    return v.asText();
  }

  /** The compact JSON the Supervisor writes, Haven's facts under extra.haven, unknown keys kept. */
  public static byte[] write(BackupMetadata m) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("slug", m.slug());
    o.put("version", 2);
    o.put("name", m.name());
    o.put("date", m.date());
    o.put("type", m.type().toString());
    o.put("supervisor_version", m.supervisorVersion());
    o.set("extra", m.extra());
    ArrayNode folders = o.putArray("folders");
    m.folders().forEach(folders::add);
    if (m.homeassistant().isPresent()) {
      HomeAssistantInfo h = m.homeassistant().get();
      o.putObject("homeassistant")
          .put("version", h.version())
          .put("exclude_database", h.excludeDatabase())
          .put("size", 0.0);
    } else {
      o.putNull("homeassistant");
    }
    o.put("compressed", m.compressed());
    ArrayNode addons = o.putArray("addons");
    m.addons().forEach(a -> addons.addObject()
        .put("slug", a.slug()).put("name", a.name()).put("version", a.version()).put("size", 0.0));
    ArrayNode repositories = o.putArray("repositories");
    m.repositories().forEach(repositories::add);
    o.put("protected", m.isProtected());
    o.setAll(m.unknown());
    try {
      return MAPPER.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }
}

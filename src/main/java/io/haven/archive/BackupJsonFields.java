package io.haven.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * backup.json's keys, typed as the Supervisor's schema types them (FORMAT.md section 2). A key of
 * the wrong type throws IllegalArgumentException naming the key, so a backup.json that merely
 * parses is not taken for a backup.
 */
final class BackupJsonFields {
  private static final Set<String> KNOWN = Set.of(
      "slug", "version", "name", "date", "type", "supervisor_version", "extra", "folders",
      "homeassistant", "compressed", "addons", "repositories", "protected", "crypto");

  private BackupJsonFields() {}

  static BackupMetadata fromJson(ObjectNode o) {
    String slug = requiredText(o, "slug");
    String date = requiredText(o, "date");
    checkDate(date);
    int version = o.has("version") ? o.get("version").asInt(-1) : 1;
    if (o.has("version") && !o.get("version").isInt() || version < 1 || version > 2) {
      throw new IllegalArgumentException("'version' must be 1 or 2, not "
          + shown(o.get("version")));
    }
    ObjectNode unknown = o.objectNode();
    o.fields().forEachRemaining(e -> {
      if (!KNOWN.contains(e.getKey())) {
        unknown.set(e.getKey(), e.getValue());
      }
    });
    List<String> folders = new ArrayList<>();
    boolean legacyHomeAssistantFolder = false;
    for (JsonNode f : array(o, "folders")) {
      String name = text(f, "folders");
      // v1 backups list "homeassistant" as a folder; it means "Home Assistant is included".
      if (name.equals("homeassistant")) {
        legacyHomeAssistantFolder = true;
      } else if (!folders.contains(name)) {
        folders.add(name);
      }
    }
    List<AddonInfo> addons = new ArrayList<>();
    for (JsonNode a : array(o, "addons")) {
      if (!a.isObject()) {
        throw new IllegalArgumentException("each of 'addons' must be an object, not " + shown(a));
      }
      addons.add(new AddonInfo(text(a.path("slug"), "an add-on's slug"),
          optionalText(a, "name", "an add-on's name"), optionalText(a, "version",
              "an add-on's version")));
    }
    List<String> repositories = new ArrayList<>();
    array(o, "repositories").forEach(r -> repositories.add(text(r, "repositories")));
    JsonNode extra = o.path("extra");
    if (!extra.isMissingNode() && !extra.isNull() && !extra.isObject()) {
      throw new IllegalArgumentException("'extra' must be an object, not " + shown(extra));
    }
    return new BackupMetadata(
        slug,
        optionalText(o, "name", "name"),
        date,
        type(o),
        bool(o, "compressed", true),
        isProtected(o.get("protected"), version),
        homeAssistant(o.path("homeassistant"), legacyHomeAssistantFolder),
        folders,
        addons,
        repositories,
        optionalText(o, "supervisor_version", "supervisor_version"),
        extra.isObject() ? (ObjectNode) extra : null,
        unknown);
  }

  // Home Assistant writes ISO-8601 with an offset; older Core versions wrote local time.
  private static void checkDate(String date) {
    try {
      DateTimeFormatter.ISO_DATE_TIME.parse(date);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'date' is not a date and time: "
          + shown(com.fasterxml.jackson.databind.node.TextNode.valueOf(date)));
    }
  }

  private static BackupMetadata.Type type(ObjectNode o) {
    String type = optionalText(o, "type", "type");
    if (type == null || type.equals("partial")) {
      return BackupMetadata.Type.PARTIAL;
    }
    if (type.equals("full")) {
      return BackupMetadata.Type.FULL;
    }
    throw new IllegalArgumentException("'type' must be \"full\" or \"partial\", not "
        + shown(o.get("type")));
  }

  // v1 quirk: a non-boolean value (the old "protected" held a hint string) means protected.
  private static boolean isProtected(JsonNode p, int version) {
    if (p == null || p.isNull()) {
      return false;
    }
    if (p.isBoolean()) {
      return p.booleanValue();
    }
    if (version == 1) {
      return true;
    }
    throw new IllegalArgumentException("'protected' must be true or false, not " + shown(p));
  }

  // An object without a version is treated as "not included", as the Supervisor does.
  private static Optional<HomeAssistantInfo> homeAssistant(JsonNode h, boolean legacyFolder) {
    if (!h.isMissingNode() && !h.isNull() && !h.isObject()) {
      throw new IllegalArgumentException("'homeassistant' must be an object or null, not "
          + shown(h));
    }
    String version = h.isObject() ? optionalText(h, "version", "homeassistant.version") : null;
    if (version != null && !version.isBlank()) {
      return Optional.of(new HomeAssistantInfo(version,
          bool(h, "exclude_database", false)));
    }
    return legacyFolder ? Optional.of(new HomeAssistantInfo("unknown", false)) : Optional.empty();
  }

  private static Iterable<JsonNode> array(JsonNode o, String key) {
    JsonNode v = o.path(key);
    if (v.isMissingNode() || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException("'" + key + "' must be a list, not " + shown(v));
    }
    return v;
  }

  private static boolean bool(JsonNode o, String key, boolean absent) {
    JsonNode v = o.get(key);
    if (v == null || v.isNull()) {
      return absent;
    }
    if (!v.isBoolean()) {
      throw new IllegalArgumentException("'" + key + "' must be true or false, not " + shown(v));
    }
    return v.booleanValue();
  }

  private static String requiredText(ObjectNode o, String key) {
    JsonNode v = o.get(key);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException("'" + key + "' is missing");
    }
    return v.asText();
  }

  private static String optionalText(JsonNode o, String key, String what) {
    JsonNode v = o.get(key);
    return v == null || v.isNull() ? null : text(v, what);
  }

  // A value as a message shows it: short, since a hostile one may be 64 KiB.
  private static String shown(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "nothing";
    }
    String s = v.toString();
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  private static String text(JsonNode v, String what) {
    if (!v.isTextual()) {
      throw new IllegalArgumentException("'" + what + "' must be text, not " + shown(v));
    }
    return v.asText();
  }
}

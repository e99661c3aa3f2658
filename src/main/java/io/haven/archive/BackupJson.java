package io.haven.archive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads and writes backup.json the way the Supervisor does: compact, unknown keys kept. Reading
 * streams under fixed limits (size, values, nesting, string lengths), so a hostile backup.json
 * costs at most a bounded amount of memory, and a value of the wrong type is a damaged archive.
 */
public final class BackupJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  // Home Assistant's own backup.json is a few kilobytes (a hundred add-ons: about 25 KiB); these
  // limits are far above that and keep the parsed tree of any one backup under a few MiB.
  static final int MAX_BYTES = 1024 * 1024;
  static final long MAX_VALUES = 10_000;
  private static final int MAX_DEPTH = 32;
  private static final int MAX_STRING = 64 * 1024;
  private static final int MAX_KEY = 1024;

  private static final ObjectMapper LIMITED = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxDocumentLength(MAX_BYTES)
          .maxTokenCount(MAX_VALUES * 2)
          .maxNestingDepth(MAX_DEPTH)
          .maxStringLength(MAX_STRING)
          .maxNameLength(MAX_KEY)
          .build())
      .build());

  private BackupJson() {}

  /** Parses backup.json; {@code what} names the archive for messages. */
  public static BackupMetadata read(InputStream in, String what) throws ArchiveException {
    JsonNode root;
    try (JsonParser parser = LIMITED.createParser(in)) {
      root = LIMITED.readTree(parser);
    } catch (StreamConstraintsException e) {
      throw new ArchiveException.Corrupt(what + ": backup.json is larger or deeper than any"
          + " backup's (" + e.getOriginalMessage() + "); the archive is damaged or not a backup",
          e);
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
      BackupMetadata m = BackupJsonFields.fromJson((ObjectNode) root);
      m.haven(); // Haven's own facts too: a damaged digest is a damaged archive, found here
      return m;
    } catch (IllegalArgumentException e) {
      throw new ArchiveException.Corrupt(what + ": backup.json is invalid: " + e.getMessage()
          + "; the archive is damaged or not a backup", e);
    }
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

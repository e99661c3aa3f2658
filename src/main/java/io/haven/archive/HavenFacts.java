package io.haven.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * Haven's own facts in backup.json under {@code extra.haven}; Home Assistant keeps unknown keys and
 * ignores them. {@code source} is what the backing-up side knew of its device (disk used, radios,
 * board), left opaque here: this package knows nothing of devices. {@code excludes} are the
 * user's own globs the backup left out (beside Home Assistant's), as {@code extra.haven.excludes}.
 */
public record HavenFacts(
    String havenVersion,
    Compression compression,
    String encryption,
    Map<String, PartFacts> parts,
    ObjectNode source,
    List<String> excludes) {

  public HavenFacts {
    parts = Map.copyOf(parts);
    excludes = excludes == null ? List.of() : List.copyOf(excludes);
    source = source == null ? JsonNodeFactory.instance.objectNode() : source.deepCopy();
  }

  @Override
  public ObjectNode source() {
    return source.deepCopy();
  }

  /** The facts of a part by its member base name ({@code homeassistant}, {@code addons_local}). */
  public Optional<PartFacts> part(Part part) {
    return Optional.ofNullable(parts.get(part.memberBase()));
  }

  ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("version", havenVersion);
    o.put("compression", compression.toString());
    o.put("encryption", encryption);
    ObjectNode ps = o.putObject("parts");
    parts.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> {
          PartFacts f = e.getValue();
          ps.putObject(e.getKey())
              .put("tar_size", f.tarSize())
              .put(f.keyed() ? "hmac_sha256" : "sha256", f.sha256())
              .put("files", f.files())
              .put("file_bytes", f.fileBytes())
              .put("stored", f.stored());
        });
    o.set("source", source.deepCopy());
    excludes.forEach(o.putArray("excludes")::add);
    return o;
  }

  /** Reads the facts back; a malformed value is reported as a corrupt archive by the caller. */
  static HavenFacts fromJson(JsonNode o) {
    Map<String, PartFacts> parts = new LinkedHashMap<>();
    o.path("parts").fields().forEachRemaining(e -> {
      JsonNode f = e.getValue();
      boolean keyed = f.has("hmac_sha256");
      parts.put(e.getKey(), new PartFacts(f.path("tar_size").asLong(),
          f.path(keyed ? "hmac_sha256" : "sha256").asText(), f.path("files").asLong(),
          f.path("file_bytes").asLong(), f.path("stored").asLong(), keyed));
    });
    JsonNode source = o.path("source");
    return new HavenFacts(
        o.path("version").asText(""),
        Compression.parse(o.path("compression").asText("gzip")),
        o.path("encryption").asText("none"),
        parts,
        source.isObject() ? (ObjectNode) source : null,
        StreamSupport.stream(o.path("excludes").spliterator(), false)
            .map(JsonNode::asText).toList());
  }
}

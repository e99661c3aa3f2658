package io.haven.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haven.archive.ArchiveListing;
import io.haven.archive.BackupArchive;
import io.haven.archive.Part;
import io.haven.archive.Secret;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Haven's calls beside the Supervisor's paths, for the web panel: what can be backed up, a
 * backup's preflight, its files, and a verify as a job.
 */
final class HavenCalls {
  /** A listing answer holds at most this many entries; a filter narrows it. */
  static final int MAX_FILES = 1000;

  private final Operations ops;

  HavenCalls(Operations ops) {
    this.ops = ops;
  }

  /** {@code GET /haven/parts}: the parts present in the data root. */
  JsonNode parts() throws IOException {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("homeassistant", false);
    ArrayNode addons = o.putArray("addons");
    ArrayNode folders = o.putArray("folders");
    for (Part p : ops.backups().root().present()) {
      switch (p.kind()) {
        case HOMEASSISTANT:
          o.put("homeassistant", true);
          break;
        case ADDON:
          addons.add(p.id());
          break;
        default:
          folders.add(p.id());
      }
    }
    return o;
  }

  /** {@code GET /backups/{slug}/preflight}: what a full restore here would meet. */
  JsonNode preflight(String slug) throws IOException {
    return ops.backups().preflight(slug, Wire.restoreRequest(
        JsonNodeFactory.instance.objectNode(), Optional.of(true))).toJson();
  }

  /**
   * {@code POST /backups/{slug}/files {prefix, password}}: the entries at or below
   * {@code prefix}, at most {@value #MAX_FILES}, with {@code truncated} when there were more.
   */
  JsonNode files(String slug, JsonNode body) throws IOException {
    Optional<Secret> secret = secret(body);
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    ArrayNode files = data.putArray("files");
    boolean truncated = false;
    try (BackupArchive archive = BackupArchive.open(ops.backups().info(slug).file())) {
      ArchiveListing.list(archive, secret, body.path("prefix").asText(""), e -> {
        if (files.size() == MAX_FILES) {
          throw new Enough();
        }
        files.addObject().put("part", e.part().id()).put("path", e.path())
            .put("type", e.type().name().toLowerCase(Locale.ROOT)).put("size", e.size())
            .put("mtime", e.mtime().toString());
      });
    } catch (Enough e) {
      truncated = true;
    }
    data.put("truncated", truncated);
    return data;
  }

  /** The password (or key) a body carries, as a restore reads it. */
  static Optional<Secret> secret(JsonNode body) {
    ObjectNode only = JsonNodeFactory.instance.objectNode();
    for (String field : new String[] {"password", "key"}) {
      if (body.hasNonNull(field)) {
        only.set(field, body.get(field));
      }
    }
    return Wire.restoreRequest(only, Optional.of(true)).secret();
  }

  /** Stops a listing once the answer is full; never seen outside this class. */
  private static final class Enough extends IOException {
    Enough() {
      super("listing is full");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // control flow, not a failure: no stack needed
    }
  }
}

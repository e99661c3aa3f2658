package io.haven.restic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.haven.archive.ArchiveException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Index files, read and written as a stream of tokens so that a large index file never becomes
 * a tree of objects: {"supersedes":[...],"packs":[{"id":...,"blobs":[{"id","type","offset",
 * "length","uncompressed_length"}]}]}.
 */
final class IndexJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private IndexJson() {}

  /** Calls {@code pack} once per pack with its blobs; returns the superseded index IDs. */
  static List<Id> read(InputStream json, String what, PackVisitor pack) throws IOException {
    List<Id> supersedes = new java.util.ArrayList<>();
    try (JsonParser p = FACTORY.createParser(json)) {
      expect(p.nextToken(), JsonToken.START_OBJECT, what);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("supersedes") && p.currentToken() == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.VALUE_STRING) {
            supersedes.add(Id.parse(p.getText()));
          }
        } else if (field.equals("packs") && p.currentToken() == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            readPack(p, what, pack);
          }
        } else {
          p.skipChildren();
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      throw new ArchiveException.Corrupt(what + " is not an index restic writes: "
          + e.getMessage(), e);
    }
    return supersedes;
  }

  interface PackVisitor {
    void pack(Id pack, List<BlobEntry> blobs) throws IOException;
  }

  private static void readPack(JsonParser p, String what, PackVisitor visitor) throws IOException {
    Id pack = null;
    List<BlobEntry> blobs = new java.util.ArrayList<>();
    List<long[]> raw = new java.util.ArrayList<>();
    List<Id> ids = new java.util.ArrayList<>();
    List<BlobType> types = new java.util.ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("id")) {
        pack = Id.parse(p.getText());
      } else if (field.equals("blobs") && p.currentToken() == JsonToken.START_ARRAY) {
        while (p.nextToken() == JsonToken.START_OBJECT) {
          long[] v = new long[3];
          Id id = null;
          BlobType type = null;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
              case "id" -> id = Id.parse(p.getText());
              case "type" -> type = BlobType.ofJson(p.getText());
              case "offset" -> v[0] = p.getLongValue();
              case "length" -> v[1] = p.getLongValue();
              case "uncompressed_length" -> v[2] = p.getLongValue();
              default -> p.skipChildren();
            }
          }
          if (id == null || type == null) {
            throw new ArchiveException.Corrupt(what + " lists a blob without ID or type.");
          }
          ids.add(id);
          types.add(type);
          raw.add(v);
        }
      } else {
        p.skipChildren();
      }
    }
    if (pack == null) {
      throw new ArchiveException.Corrupt(what + " lists a pack without an ID.");
    }
    for (int i = 0; i < ids.size(); i++) {
      long[] v = raw.get(i);
      blobs.add(new BlobEntry(ids.get(i), types.get(i), pack, v[0], (int) v[1], (int) v[2]));
    }
    visitor.pack(pack, blobs);
  }

  private static void expect(JsonToken got, JsonToken want, String what) throws ArchiveException {
    if (got != want) {
      throw new ArchiveException.Corrupt(what + " is not an index restic writes.");
    }
  }

  /** The JSON of an index file listing {@code blobs}, grouped by pack in the given order. */
  static byte[] write(List<BlobEntry> blobs) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("packs");
      Id current = null;
      for (BlobEntry b : blobs) {
        if (!b.pack().equals(current)) {
          if (current != null) {
            g.writeEndArray();
            g.writeEndObject();
          }
          current = b.pack();
          g.writeStartObject();
          g.writeStringField("id", current.toString());
          g.writeArrayFieldStart("blobs");
        }
        g.writeStartObject();
        g.writeStringField("id", b.id().toString());
        g.writeStringField("type", b.type().json());
        g.writeNumberField("offset", b.offset());
        g.writeNumberField("length", b.length());
        if (b.compressed()) {
          g.writeNumberField("uncompressed_length", b.rawLength());
        }
        g.writeEndObject();
      }
      if (current != null) {
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }
}

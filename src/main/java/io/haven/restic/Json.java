package io.haven.restic;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import io.haven.archive.ArchiveException;
import java.io.IOException;

/**
 * The JSON documents of a repository, and the version 2 "unpacked" encoding of index, snapshot
 * and lock files: a leading byte 2 and a zstd frame, or plain JSON starting with '{' or '['.
 */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);
  /** Unpacked files are small (index files stay under 8 MiB); a bigger one is not restic's. */
  static final int MAX_UNPACKED = 64 * 1024 * 1024;

  private Json() {}

  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  static <T> T read(byte[] json, Class<T> type, String what) throws ArchiveException {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new ArchiveException.Corrupt(what + " is not the JSON restic writes: "
          + e.getMessage(), e);
    }
  }

  /** The version 2 encoding: byte 2, then the zstd-compressed JSON. */
  static byte[] compress(byte[] json) {
    byte[] z = Zstd.compress(json, Blobs.ZSTD_LEVEL);
    byte[] out = new byte[z.length + 1];
    out[0] = 2;
    System.arraycopy(z, 0, out, 1, z.length);
    return out;
  }

  static byte[] decompress(byte[] plain, String what) throws ArchiveException {
    if (plain.length == 0) {
      throw new ArchiveException.Corrupt(what + " is empty.");
    }
    if (plain[0] == '{' || plain[0] == '[') {
      return plain;
    }
    if (plain[0] != 2) {
      throw new ArchiveException.Unsupported(what + " uses encoding version " + (plain[0] & 0xff)
          + "; Haven reads versions 1 and 2 of restic's format. Update Haven.");
    }
    return Blobs.unzstd(plain, 1, plain.length - 1, MAX_UNPACKED, what);
  }
}

package io.haven.location;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.io.IOException;
import java.util.Optional;

/**
 * What a Location that resumes from an offset (SFTP, SMB) remembers in {@link ResumeRecords} of
 * a write the network cut off: the source's size and fingerprint, and the temporary (its bare
 * name, no folder) that holds the bytes the server got.
 */
record UnfinishedWrite(long size, String fingerprint, String temp) {
  UnfinishedWrite {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(temp, "temp");
  }

  /** A new write of {@code source} to a fresh temporary for {@code name}. */
  static UnfinishedWrite start(ResumableSource source, String name) {
    return new UnfinishedWrite(source.size(), source.fingerprint(), Temporaries.forName(name));
  }

  /** A protocol's part of a resumable write: send the rest of the source, then rename. */
  interface Send {
    /** {@code resumed} when {@code write} continues a temporary the server already holds. */
    void send(UnfinishedWrite write, boolean resumed) throws IOException;
  }

  /** How a protocol removes a temporary. */
  interface Remove {
    void remove(UnfinishedWrite write) throws IOException;
  }

  /**
   * Writes {@code source} under {@code name} through {@code send}, continuing the write recorded
   * for it when that came from this very source. A recorded write of another source goes to
   * {@code discard} first, so its temporary can be removed from the server. While {@code send}
   * runs the write is recorded; a cut by the network ({@link LocationException.Unreachable})
   * keeps the temporary and the record for the next call; any other failure removes both
   * (the temporary through {@code removeQuietly}) and is rethrown.
   */
  static void write(ResumeRecords records, String place, String name, ResumableSource source,
      Remove discard, Remove removeQuietly, Send send) throws IOException {
    Optional<UnfinishedWrite> recorded = records.get(place, name).flatMap(UnfinishedWrite::from);
    Optional<UnfinishedWrite> earlier = recorded.filter(w -> w.continues(source, name));
    if (recorded.isPresent() && earlier.isEmpty()) {
      discard.remove(recorded.get());
    }
    // The temporary's random name is remembered, so the next call can find it again.
    UnfinishedWrite write = earlier.orElseGet(() -> start(source, name));
    try {
      records.put(place, name, write.toJson());
      send.send(write, earlier.isPresent());
      records.remove(place, name);
    } catch (LocationException.Unreachable e) {
      throw e;
    } catch (Throwable e) {
      removeQuietly.remove(write);
      records.remove(place, name);
      throw e;
    }
  }

  /** The write a record describes; empty for a damaged one. */
  static Optional<UnfinishedWrite> from(ObjectNode record) {
    if (!record.path("size").canConvertToLong() || !record.path("fingerprint").isTextual()
        || !record.path("temp").isTextual()) {
      return Optional.empty();
    }
    return Optional.of(new UnfinishedWrite(record.get("size").asLong(),
        record.get("fingerprint").asText(), record.get("temp").asText()));
  }

  /**
   * Whether the temporary may be continued with {@code source}: the same size and fingerprint
   * mean the same bytes, and the name must be one {@link Temporaries} made for {@code name}
   * because the record is a local file that could have been edited.
   */
  boolean continues(ResumableSource source, String name) {
    return size == source.size() && fingerprint.equals(source.fingerprint())
        && holdsTemporaryOf(name);
  }

  /** Whether {@link #temp} is a temporary of {@code name}, safe to remove. */
  boolean holdsTemporaryOf(String name) {
    return temp.startsWith("." + name + ".") && temp.endsWith(Names.TEMP_SUFFIX)
        && temp.indexOf('/') < 0 && temp.indexOf('\\') < 0;
  }

  ObjectNode toJson() {
    ObjectNode record = JsonNodeFactory.instance.objectNode();
    record.put("size", size);
    record.put("fingerprint", fingerprint);
    record.put("temp", temp);
    return record;
  }
}

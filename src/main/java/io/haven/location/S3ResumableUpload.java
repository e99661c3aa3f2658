package io.haven.location;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One multipart upload that survives being cut off. Its upload id and the ETags of the parts the
 * server confirmed are kept in {@link ResumeRecords} after every part; the next run for the same
 * source asks the server which parts it holds (ListParts), keeps the leading run of full parts
 * that match the record, and sends only the rest. A changed source or a failure other than an
 * unreachable server aborts the upload and forgets the record. Memory stays at one part.
 */
final class S3ResumableUpload {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PART_BYTES = S3UploadStream.PART_BYTES;

  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final GuardedStreams.Translator translator;
  private final ResumeRecords records;
  private final String place;
  private final String name;

  S3ResumableUpload(S3Client s3, String bucket, String key, GuardedStreams.Translator translator,
      ResumeRecords records, String place, String name) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.translator = translator;
    this.records = records;
    this.place = place;
    this.name = name;
  }

  /** Sends what the server does not hold yet of {@code source}, then completes the object. */
  void run(ResumableSource source) throws IOException {
    List<CompletedPart> parts = new ArrayList<>();
    String uploadId = resumable(source, parts).orElse(null);
    try {
      if (uploadId == null) {
        uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
        remember(source, uploadId, parts);
      }
      sendRest(source, uploadId, parts);
      String id = uploadId;
      s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(id)
          .multipartUpload(u -> u.parts(parts)));
      records.remove(place, name);
    } catch (SdkException e) {
      throw giveUpUnlessUnreachable(translator.translate(e), uploadId);
    } catch (IOException e) {
      throw giveUpUnlessUnreachable(e, uploadId);
    } catch (RuntimeException e) {
      throw giveUpUnlessUnreachable(e, uploadId);
    }
  }

  // An unreachable server keeps the upload for the next attempt; anything else ends it.
  private <E extends Exception> E giveUpUnlessUnreachable(E failure, String uploadId)
      throws IOException {
    if (!(failure instanceof LocationException.Unreachable) && uploadId != null) {
      abort(uploadId);
      records.remove(place, name);
    }
    return failure;
  }

  // The upload id to continue, with its stored parts added to parts; empty to start afresh.
  private Optional<String> resumable(ResumableSource source, List<CompletedPart> parts)
      throws IOException {
    Optional<ObjectNode> record = records.get(place, name);
    if (record.isEmpty()) {
      return Optional.empty();
    }
    String uploadId = record.get().path("uploadId").asText();
    boolean same = record.get().path("size").asLong(-1) == source.size()
        && record.get().path("fingerprint").asText("").equals(source.fingerprint())
        && record.get().path("partBytes").asInt(-1) == PART_BYTES;
    Optional<List<CompletedPart>> stored = same
        ? storedParts(uploadId, record.get().path("parts")) : Optional.empty();
    if (stored.isEmpty()) {
      abort(uploadId);
      records.remove(place, name);
      return Optional.empty();
    }
    parts.addAll(stored.get());
    return Optional.of(uploadId);
  }

  // The leading full parts the server holds with the recorded ETag; empty if the upload is gone.
  private Optional<List<CompletedPart>> storedParts(String uploadId, JsonNode recorded)
      throws IOException {
    List<CompletedPart> kept = new ArrayList<>();
    try {
      for (Part part : s3.listPartsPaginator(r -> r.bucket(bucket).key(key).uploadId(uploadId))
          .parts()) {
        int number = kept.size() + 1;
        JsonNode etag = recorded.path(number - 1);
        if (part.partNumber() != number || part.size() != PART_BYTES
            || (etag.isTextual() && !etag.asText().equals(part.eTag()))) {
          break;
        }
        kept.add(CompletedPart.builder().partNumber(number).eTag(part.eTag()).build());
      }
      return Optional.of(kept);
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw translator.translate(e);
    } catch (SdkException e) {
      throw translator.translate(e);
    }
  }

  private void sendRest(ResumableSource source, String uploadId, List<CompletedPart> parts)
      throws IOException {
    long offset = (long) parts.size() * PART_BYTES;
    byte[] buffer = new byte[PART_BYTES];
    try (InputStream in = source.openAt(offset)) {
      for (int n; (n = in.readNBytes(buffer, 0, PART_BYTES)) > 0; offset += n) {
        int number = parts.size() + 1;
        int length = n;
        String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                .partNumber(number),
            RequestBody.fromInputStream(new ByteArrayInputStream(buffer, 0, length), length))
            .eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        remember(source, uploadId, parts);
      }
    }
    if (offset != source.size()) {
      throw new LocationException.Refused("The source of '" + name + "' changed while it was"
          + " sent (" + offset + " bytes, not " + source.size() + "); nothing was stored. Send it"
          + " again.", null);
    }
  }

  private void remember(ResumableSource source, String uploadId, List<CompletedPart> parts)
      throws IOException {
    ObjectNode record = JSON.createObjectNode();
    record.put("size", source.size());
    record.put("fingerprint", source.fingerprint());
    record.put("partBytes", PART_BYTES);
    record.put("uploadId", uploadId);
    ArrayNode etags = record.putArray("parts");
    parts.forEach(p -> etags.add(p.eTag()));
    records.put(place, name, record);
  }

  private void abort(String uploadId) {
    try {
      s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException ignored) {
      // Best effort: gone already, or a bucket lifecycle rule removes it later.
    }
  }
}

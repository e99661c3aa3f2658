package io.haven.location;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Streams one S3 object through a single fixed-size buffer: an object that fits is sent with one
 * PUT on {@link #complete()}; a larger one becomes a multipart upload, one part per full buffer.
 * Memory stays at one part whatever the object's size. Nothing is visible until {@link #complete()}.
 */
final class S3UploadStream extends OutputStream {
  /** 8 MiB: above S3's 5 MiB minimum part, and 10,000 parts reach 80 GB. */
  static final int PART_BYTES = 8 * 1024 * 1024;

  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final GuardedStreams.Translator translator;
  private final byte[] buffer = new byte[PART_BYTES];
  private final List<CompletedPart> parts = new ArrayList<>();
  private int filled;
  private String uploadId;

  S3UploadStream(S3Client s3, String bucket, String key,
      GuardedStreams.Translator translator) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.translator = translator;
  }

  @Override
  public void write(int b) throws IOException {
    if (filled == buffer.length) {
      sendPart();
    }
    buffer[filled++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (filled == buffer.length) {
        sendPart();
      }
      int n = Math.min(len, buffer.length - filled);
      System.arraycopy(b, off, buffer, filled, n);
      filled += n;
      off += n;
      len -= n;
    }
  }

  private void sendPart() throws IOException {
    try {
      if (uploadId == null) {
        uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
      }
      int number = parts.size() + 1;
      String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId)
          .partNumber(number), body()).eTag();
      parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      filled = 0;
    } catch (SdkException e) {
      throw translator.translate(e);
    }
  }

  private RequestBody body() {
    return RequestBody.fromInputStream(new ByteArrayInputStream(buffer, 0, filled), filled);
  }

  /** Makes the object visible: one PUT, or the last part and the multipart completion. */
  void complete() throws IOException {
    try {
      if (uploadId == null) {
        s3.putObject(r -> r.bucket(bucket).key(key), body());
        return;
      }
      if (filled > 0) {
        sendPart();
      }
      s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
          .multipartUpload(u -> u.parts(parts)));
    } catch (SdkException e) {
      throw translator.translate(e);
    }
  }

  /** Drops a started multipart upload, so its parts are neither kept nor billed. */
  void abort() {
    if (uploadId == null) {
      return;
    }
    try {
      s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException ignored) {
      // Best effort: the server is gone; a bucket lifecycle rule cleans up stale uploads.
    }
  }
}

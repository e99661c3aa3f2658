package io.haven.restic;

import io.haven.location.IoConsumer;
import io.haven.location.LocationException;
import io.haven.location.LocationSpec;
import io.haven.location.S3Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A repository under a prefix of an S3 bucket, with the keys restic's s3 backend uses
 * ({@code config}, {@code data/ab/ID}, ...). The client and its credentials are the S3
 * location's. Every file is one PUT, so it appears complete or not at all; a pack is about
 * 16 MiB, well within one PUT's 5 GB.
 */
public final class S3Storage implements Storage {
  private static final int RANGE_NOT_SATISFIABLE = 416;
  private final S3Location location;
  private final S3Client s3;

  private S3Storage(S3Location location) {
    this.location = location;
    this.s3 = location.client();
  }

  /** Connects with the location's settings and secrets; the bucket must exist. */
  public static S3Storage open(LocationSpec spec) throws IOException {
    return new S3Storage(S3Location.open(spec));
  }

  private String key(String name) {
    return location.prefix() + Layout.check(name);
  }

  @Override
  public void put(String name, byte[] bytes) throws IOException {
    try {
      s3.putObject(b -> b.bucket(location.bucket()).key(key(name)), RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw location.failure("storing " + name + " in", e);
    }
  }

  @Override
  public void put(String name, Path file) throws IOException {
    try {
      s3.putObject(b -> b.bucket(location.bucket()).key(key(name)), RequestBody.fromFile(file));
    } catch (SdkException e) {
      throw location.failure("storing " + name + " in", e);
    }
    Files.deleteIfExists(file);
  }

  @Override
  public byte[] get(String name) throws IOException {
    int size = Layout.smallFileSize(this, name, size(name));
    return size == 0 ? new byte[0] : read(name, 0, size);
  }

  private long size(String name) throws IOException {
    try {
      return s3.headObject(b -> b.bucket(location.bucket()).key(key(name))).contentLength();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw Layout.notFound(this, name, e);
      }
      throw location.failure("reading the size of " + name + " in", e);
    } catch (SdkException e) {
      throw location.failure("reading the size of " + name + " in", e);
    }
  }

  @Override
  public byte[] readUpTo(String name, long offset, int most) throws IOException {
    if (most == 0) {
      return new byte[0];
    }
    // S3 ends a range at the object's end, and answers 416 to one that starts there or later.
    String range = "bytes=" + offset + "-" + (offset + most - 1);
    try {
      return s3.getObjectAsBytes(b -> b.bucket(location.bucket()).key(key(name)).range(range))
          .asByteArrayUnsafe();
    } catch (NoSuchKeyException e) {
      throw Layout.notFound(this, name, e);
    } catch (S3Exception e) {
      if (e.statusCode() == RANGE_NOT_SATISFIABLE) {
        return new byte[0];
      }
      throw location.failure("reading " + name + " from", e);
    } catch (SdkException e) {
      throw location.failure("reading " + name + " from", e);
    }
  }

  @Override
  public void list(String dir, IoConsumer<Entry> each) throws IOException {
    String prefix = location.prefix() + (dir.isEmpty() ? "" : dir + "/");
    // data/ lists its subdirectories too; the others are flat, as in restic's layout.
    ListObjectsV2Request.Builder request = ListObjectsV2Request.builder()
        .bucket(location.bucket()).prefix(prefix);
    if (!dir.equals("data")) {
      request.delimiter("/");
    }
    try {
      for (S3Object o : s3.listObjectsV2Paginator(request.build()).contents()) {
        String name = o.key().substring(location.prefix().length());
        if (!Layout.hidden(name)) {
          each.accept(new Entry(name, o.size()));
        }
      }
    } catch (SdkException e) {
      throw location.failure("listing " + dir + " in", e);
    }
  }

  @Override
  public void delete(String name) throws IOException {
    try {
      s3.deleteObject(b -> b.bucket(location.bucket()).key(key(name)));
    } catch (SdkException e) {
      throw location.failure("deleting " + name + " from", e);
    }
  }

  @Override
  public boolean exists(String name) throws IOException {
    try {
      size(name);
      return true;
    } catch (LocationException.NotFound e) {
      return false;
    }
  }

  @Override
  public String describe() {
    return location.describe();
  }

  @Override
  public void close() {
    location.close();
  }
}

package io.haven.location;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects in an S3 bucket under a prefix ({@code s3://bucket/prefix}), on AWS or any S3-compatible
 * server. Options: {@code endpoint} (such as {@code http://nas:9000}), {@code region} (default
 * {@code us-east-1}), {@code pathStyle} ({@code true} for most self-hosted servers). Secrets:
 * {@code accessKey}, {@code secretKey}. The bucket must exist.
 *
 * <p>S3 has no rename. An object becomes visible only when its upload completes: a small one in a
 * single PUT, a large one as a multipart upload of fixed-size parts, which S3 assembles in one step
 * on completion; a failed upload is aborted, so no part stays stored or billed. A write from a
 * {@link ResumableSource} that the network cut off keeps its parts and continues on the next call.
 */
public final class S3Location implements Location {
  private final LocationSpec spec;
  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  private S3Location(LocationSpec spec, S3Client s3, String bucket, String prefix) {
    this.spec = spec;
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  /** Opens the location; see {@link Locations#open}. */
  public static S3Location open(LocationSpec spec) throws IOException {
    String bucket = spec.url().getHost();
    Optional<String> accessKey = spec.secret(LocationSpec.ACCESS_KEY);
    Optional<String> secretKey = spec.secret(LocationSpec.SECRET_KEY);
    if (bucket == null || accessKey.isEmpty() || secretKey.isEmpty()) {
      throw new LocationException.Misconfigured("Location '" + spec.name() + "' needs a bucket"
          + " (s3://bucket/prefix) and the secrets '" + LocationSpec.ACCESS_KEY + "' and '"
          + LocationSpec.SECRET_KEY + "'.");
    }
    S3ClientBuilder builder = S3Client.builder()
        .region(Region.of(spec.option("region").orElse("us-east-1")))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(accessKey.get(), secretKey.get())))
        .forcePathStyle(Boolean.parseBoolean(spec.option("pathStyle").orElse("false")));
    spec.option("endpoint").map(URI::create).ifPresent(builder::endpointOverride);
    String path = spec.url().getPath() == null ? "" : spec.url().getPath();
    String prefix = path.replaceAll("^/+", "").replaceAll("/*$", "");
    S3Location location = new S3Location(spec, builder.build(), bucket,
        prefix.isEmpty() ? "" : prefix + "/");
    location.checkBucket();
    return location;
  }

  private void checkBucket() throws IOException {
    try {
      // A listing, not HEAD: HEAD errors carry no code, so a wrong key would look like a
      // missing permission. Listing is also what Haven needs to be allowed.
      s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(1));
    } catch (SdkException e) {
      close();
      throw translate("opening", e);
    }
  }

  private String key(String name) {
    return prefix + Names.check(name);
  }

  @Override
  public List<ArchiveInfo> list() throws IOException {
    List<ArchiveInfo> found = new ArrayList<>();
    ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix)
        .delimiter("/").build();
    try {
      for (S3Object object : s3.listObjectsV2Paginator(request).contents()) {
        String name = object.key().substring(prefix.length());
        if (Names.isValid(name)) {
          found.add(new ArchiveInfo(name, object.size(), object.lastModified()));
        }
      }
    } catch (SdkException e) {
      throw translate("listing", e);
    }
    found.sort(Comparator.comparing(ArchiveInfo::name));
    return List.copyOf(found);
  }

  @Override
  public Optional<ArchiveInfo> stat(String name) throws IOException {
    String key = key(name);
    try {
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
      return Optional.of(new ArchiveInfo(name, head.contentLength(), head.lastModified()));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw translate("reading the size of '" + name + "' in", e);
    } catch (SdkException e) {
      throw translate("reading the size of '" + name + "' in", e);
    }
  }

  @Override
  public <T> T read(String name, IoFunction<InputStream, T> reader) throws IOException {
    String key = key(name);
    InputStream in;
    try {
      in = s3.getObject(b -> b.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw translate("opening '" + name + "' in", e);
    }
    try (in) {
      return reader.apply(GuardedStreams.input(in, SdkException.class,
          e -> translate("reading '" + name + "' from", e)));
    }
  }

  @Override
  public void write(String name, IoConsumer<OutputStream> writer) throws IOException {
    String key = key(name);
    S3UploadStream upload = new S3UploadStream(s3, bucket, key,
        e -> translate("writing '" + name + "' to", e));
    try {
      writer.accept(GuardedStreams.output(upload, SdkException.class,
          e -> translate("writing '" + name + "' to", e)));
      upload.complete();
    } catch (Throwable e) {
      upload.abort();
      throw e;
    }
  }

  /**
   * A source larger than one part goes up as a multipart upload that a later call continues
   * (see {@link S3ResumableUpload}); a smaller one is a single PUT, as with the stream write.
   */
  @Override
  public void write(String name, ResumableSource source, ResumeRecords records)
      throws IOException {
    if (source.size() <= S3UploadStream.PART_BYTES) {
      Location.super.write(name, source, records);
      return;
    }
    new S3ResumableUpload(s3, bucket, key(name), e -> translate("writing '" + name + "' to", e),
        records, describe(), name).run(source);
  }

  @Override
  public void delete(String name) throws IOException {
    // S3 deletes a missing key without complaint; look first so a wrong name is reported.
    if (stat(name).isEmpty()) {
      throw new LocationException.NotFound("Not found: deleting '" + name + "' from " + describe()
          + ". Check the name with 'haven list'.", null);
    }
    String key = key(name);
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw translate("deleting '" + name + "' from", e);
    }
  }

  /** The client, for a reader of another layout below {@link #prefix()}. Not to be closed. */
  public S3Client client() {
    return s3;
  }

  public String bucket() {
    return bucket;
  }

  /** The keys' prefix: empty, or ending with '/'. */
  public String prefix() {
    return prefix;
  }

  /** A failure of {@link #client()}'s work, as this Location's own failures are reported. */
  public LocationException failure(String doing, Exception e) {
    return translate(doing, e);
  }

  @Override
  public String describe() {
    return "s3://" + bucket + "/" + prefix
        + spec.option("endpoint").map(e -> " at " + e).orElse("");
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities(false, false, true);
  }

  @Override
  public void close() {
    s3.close();
  }

  /** The SDK's failure as the Location's; the SDK has already retried transient ones itself. */
  LocationException translate(String doing, Exception e) {
    if (e instanceof LocationException le) {
      return le;
    }
    String where = doing + " " + describe();
    if (e instanceof S3Exception s3Failure) {
      return translateStatus(where, s3Failure);
    }
    if (e instanceof SdkClientException || e instanceof IOException) {
      return new LocationException.Unreachable("Could not reach the server " + where + ": "
          + e.getMessage() + ". Check the endpoint and the network; trying again may help.", e);
    }
    return new LocationException.Refused("Failed " + where + ": " + e.getMessage(), e);
  }

  private LocationException translateStatus(String where, S3Exception e) {
    String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
    int status = e.statusCode();
    if (status == 401 || "InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)) {
      return new LocationException.AuthenticationFailed("The access key was refused when " + where
          + " (" + code + "). Check the secrets '" + LocationSpec.ACCESS_KEY + "' and '"
          + LocationSpec.SECRET_KEY + "' of location '" + spec.name() + "'.", e);
    }
    if (status == 404) {
      String what = "NoSuchBucket".equals(code) ? "bucket '" + bucket + "' does not exist" : code;
      return new LocationException.NotFound("Not found " + where + ": " + what + ".", e);
    }
    if (status >= 500) {
      return new LocationException.Unreachable("The server failed " + where + " (HTTP " + status
          + " " + code + "). Trying again may help.", e);
    }
    return new LocationException.Refused("The server refused " + where + " (HTTP " + status + " "
        + code + "). Check the key's permissions on bucket '" + bucket + "'.", e);
  }

  @Override
  public String toString() {
    return "S3(" + describe() + ")";
  }
}

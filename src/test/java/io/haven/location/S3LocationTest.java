package io.haven.location;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3 against s3proxy on 127.0.0.1 with its file-system backend and real SigV4 checks. s3proxy runs
 * as its own process from the jar Maven copies into the build directory, never on our classpath.
 */
class S3LocationTest extends LocationContract {
  private static final String ACCESS_KEY = "haven-access";
  private static final String SECRET_KEY = "s3-secret-5b9e";
  private static final String BUCKET = "backups";
  private static Path dir;
  private static Path data;
  private static int port;
  private static Process s3proxy;

  @BeforeAll
  static void startS3proxy() throws Exception {
    String jar = System.getProperty("haven.s3proxyJar", "");
    TestServers.requireFile(jar.isEmpty() ? "s3proxy.jar" : jar,
        "Maven copies org.gaul:s3proxy there in process-test-resources; run the tests with mvn");
    dir = TestServers.tempDir("haven-s3proxy");
    data = Files.createDirectory(dir.resolve("data"));
    port = TestServers.freePort();
    Files.writeString(dir.resolve("s3proxy.conf"), String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY,
        "s3proxy.credential=" + SECRET_KEY,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + data,
        ""));
    startNow();
    try (S3Client s3 = client()) {
      s3.createBucket(b -> b.bucket(BUCKET));
    }
  }

  private static void startNow() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    s3proxy = TestServers.start(List.of(java, "-Xmx256m", "-jar",
        System.getProperty("haven.s3proxyJar"), "--properties",
        dir.resolve("s3proxy.conf").toString()), dir.resolve("s3proxy.log"), port);
  }

  private static S3Client client() {
    return S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY))).build();
  }

  @AfterAll
  static void stopS3proxy() throws IOException {
    TestServers.stop(s3proxy);
    TestServers.deleteTree(dir);
  }

  private static LocationSpec spec(String folder, String secretKey) {
    return LocationSpec.of("s3", "s3://" + BUCKET + "/haven/" + folder)
        .withOption("endpoint", "http://127.0.0.1:" + port)
        .withOption("pathStyle", "true")
        .withSecret(LocationSpec.ACCESS_KEY, ACCESS_KEY)
        .withSecret(LocationSpec.SECRET_KEY, secretKey);
  }

  @Override
  Location open(String folder) throws IOException {
    return Locations.open(spec(folder, SECRET_KEY));
  }

  @Override
  Path storage(String folder) {
    return data.resolve(BUCKET).resolve("haven").resolve(folder);
  }

  @Override
  String secret() {
    return SECRET_KEY;
  }

  @Override
  boolean hasPassword() {
    return true;
  }

  @Override
  Location openWithWrongPassword(String folder) throws IOException {
    return Locations.open(spec(folder, wrongSecret()));
  }

  @Override
  boolean canKillServer() {
    return true;
  }

  @Override
  void killServer() {
    TestServers.stop(s3proxy);
  }

  @Override
  void startServer() throws IOException {
    startNow();
  }

  @Test
  void objectsFarLargerThanTheHeapStreamThroughFixedParts() throws Exception {
    long mib = 72;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String output = TestServers.run(List.of(java, "-Xmx32m", "-cp",
        System.getProperty("java.class.path"), BoundedWrite.class.getName(),
        "s3://" + BUCKET + "/haven/" + folder, Long.toString(mib),
        "endpoint=http://127.0.0.1:" + port, "pathStyle=true",
        "secret." + LocationSpec.ACCESS_KEY + "=" + ACCESS_KEY,
        "secret." + LocationSpec.SECRET_KEY + "=" + SECRET_KEY), null);
    String[] lastLine = output.strip().lines().reduce((a, b) -> b).orElseThrow().split(" ");
    assertEquals(lastLine[0], lastLine[1], output);
    assertEquals(Long.toString(mib * 1024 * 1024), lastLine[2], output);
  }

  @Test
  void failedMultipartUploadIsAborted() throws IOException {
    assertThrowsOwnFailure();
    try (S3Client s3 = client()) {
      assertEquals(List.of(), s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads());
    }
  }

  private void assertThrowsOwnFailure() {
    org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
        () -> location.write("a.tar", out -> {
          TestData.write(out, S3UploadStream.PART_BYTES + 1024, 9);
          throw new IOException("the source broke");
        }));
  }
}

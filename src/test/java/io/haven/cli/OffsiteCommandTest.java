package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haven.location.LocationSpec;
import io.haven.location.LoopbackServers;
import io.haven.testing.GenData;
import io.haven.testing.TreeSnapshot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offsite verbs in-process against OpenSSH (SFTP), s3proxy (S3) and a directory (file://),
 * all on this machine.
 */
class OffsiteCommandTest {
  /** What a backup leaves out on purpose, as in BackupsRoundTripTest; the db by content. */
  static final Predicate<String> NOT_BACKED_UP = rel ->
      rel.equals("config/home-assistant.log")
          || rel.equals("config/home-assistant_v2.db-shm")
          || rel.startsWith("config/tts/")
          || rel.startsWith("config/__pycache__/")
          || rel.equals("config/home-assistant_v2.db")
          || rel.startsWith(".haven-")
          || rel.equals("addons") || rel.equals("addons/data");

  static LoopbackServers.Server sftp;
  static LoopbackServers.Server s3;
  static int folders;

  @TempDir Path tmp;
  String out;
  String err;

  @BeforeAll
  static void startServers() throws Exception {
    sftp = LoopbackServers.sftp();
    s3 = LoopbackServers.s3();
  }

  @AfterAll
  static void stopServers() throws Exception {
    if (sftp != null) {
      sftp.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  int run(Path config, String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    int code = Main.execute(all.toArray(String[]::new), new PrintWriter(o, true),
        new PrintWriter(e, true));
    out = o.toString();
    err = e.toString();
    return code;
  }

  Path config(Path dir) throws Exception {
    return config(dir, tmp.resolve("locations.yaml"));
  }

  /** A config in {@code dir} (data root and backup directory there) with these locations. */
  static Path config(Path dir, Path locations) throws Exception {
    Files.createDirectories(dir);
    Path config = dir.resolve("haven.yaml");
    Files.writeString(config, "data_root: root\nbackup_dir: backup\n"
        + "locations_file: " + locations + "\n");
    return config;
  }

  /** Adds the SFTP location "nas", the S3 location "cloud" and the directory "usb". */
  void addLocations(Path config, String secretKey) throws Exception {
    String folder = "f" + (++folders);
    LocationSpec nas = sftp.spec("nas", folder);
    assertEquals(0, run(config, "locations", "add", "nas", nas.url().toString(), "--key-file",
        nas.secret(LocationSpec.KEY_FILE).orElseThrow(), "--option",
        "hostKey=" + nas.option("hostKey").orElseThrow()), err);
    LocationSpec cloud = s3.spec("cloud", folder);
    Path secret = tmp.resolve("s3-secret");
    Files.writeString(secret, secretKey + "\n");
    assertEquals(0, run(config, "locations", "add", "cloud", cloud.url().toString(),
        "--password-file", secret.toString(),
        "--option", "accessKey=" + LoopbackServers.S3_ACCESS_KEY,
        "--option", "endpoint=" + cloud.option("endpoint").orElseThrow(),
        "--option", "pathStyle=true"), err);
    assertEquals(0, run(config, "locations", "add", "usb",
        tmp.resolve("usb").resolve(folder).toUri().toString()), err);
  }

  @Test
  void locationsAreAddedListedWithoutSecretsTestedAndRemoved() throws Exception {
    Path config = config(tmp.resolve("a"));
    addLocations(config, LoopbackServers.S3_SECRET_KEY);
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(tmp.resolve("locations.yaml"))));

    assertEquals(0, run(config, "locations", "list"), err);
    assertTrue(out.contains("nas") && out.contains("cloud") && out.contains("usb"), out);
    assertFalse(out.contains(LoopbackServers.S3_SECRET_KEY), out);
    assertFalse(out.contains(LoopbackServers.S3_ACCESS_KEY), out);
    assertFalse(out.contains("userkey"), out);

    for (String name : List.of("nas", "cloud", "usb")) {
      assertEquals(0, run(config, "locations", "test", name), name + ": " + err);
      assertEquals(List.of("connect: ok", "write: ok", "read: ok", "compare: ok", "delete: ok"),
          out.lines().limit(5).toList());
      assertTrue(out.contains("works"), out);
    }

    assertEquals(0, run(config, "locations", "remove", "cloud"), err);
    assertEquals(0, run(config, "locations", "list"), err);
    assertFalse(out.contains("cloud"), out);
    assertEquals(4, run(config, "locations", "remove", "cloud"));
  }

  @Test
  void testNamesTheStepThatFailedOnAWrongPassword() throws Exception {
    Path config = config(tmp.resolve("a"));
    addLocations(config, "wrong-secret-1234");
    assertEquals(14, run(config, "locations", "test", "cloud"));
    assertTrue(err.startsWith("error: connect failed on "), err);
    assertTrue(err.contains("Check the"), err);
    assertFalse(err.contains("wrong-secret-1234"), err);
  }

  @Test
  void backupIsCopiedToTwoLocationsListedThereAndRestoredIntoAnEmptyRoot() throws Exception {
    Path first = tmp.resolve("first");
    Path config = config(first);
    addLocations(config, LoopbackServers.S3_SECRET_KEY);
    GenData.copyTo(first.resolve("root"), 4);
    Map<String, String> before = TreeSnapshot.of(first.resolve("root"), NOT_BACKED_UP);

    assertEquals(0, run(config, "backups", "new", "--name", "offsite", "-l", "nas", "-l",
        "cloud"), err);
    String slug = out.trim();
    assertTrue(err.contains("copied to nas: " + slug + ".tar"), err);
    assertTrue(err.contains("copied to cloud: " + slug + ".tar"), err);
    assertTrue(err.contains("(read back and compared)"), err);

    assertEquals(0, run(config, "backups", "copy", slug, "--location", "nas"), err);
    assertTrue(err.contains("already in nas"), "a verified copy is not sent again: " + err);

    // A second machine: an empty data root and backup directory, the same locations.
    Path second = tmp.resolve("second");
    Path config2 = config(second);
    for (String location : List.of("nas", "cloud")) {
      assertEquals(0, run(config2, "backups", "list", "--location", location, "--raw-json"),
          err);
      JsonNode listed = new ObjectMapper().readTree(out).at("/data/backups");
      assertEquals(1, listed.size(), out);
      assertEquals(slug, listed.get(0).get("slug").asText());
      assertEquals("offsite", listed.get(0).get("name").asText());
    }
    assertEquals(0, run(config2, "backups", "restore", slug, "--location", "cloud"), err);
    TreeSnapshot.assertSame(before, TreeSnapshot.of(second.resolve("root"), NOT_BACKED_UP), "restored tree");
    assertTrue(Files.isRegularFile(second.resolve("backup").resolve(slug + ".tar")));

    assertEquals(0, run(config2, "backups", "remove", slug, "--location", "nas", "--yes"), err);
    assertEquals(0, run(config2, "backups", "list", "--location", "nas"), err);
    assertTrue(out.contains("No backups in nas"), out);
  }

  @Test
  void failedCopyIsReportedAndTheLocalBackupStays() throws Exception {
    Path config = config(tmp.resolve("a"));
    GenData.copyTo(tmp.resolve("a").resolve("root"), 4);
    Files.writeString(tmp.resolve("locations.yaml"), "locations:\n  gone:\n"
        + "    url: sftp://nobody@127.0.0.1:1/nowhere\n    options: {}\n"
        + "    secrets: {password: x}\n");
    assertEquals(14, run(config, "backups", "new", "-l", "gone"));
    assertTrue(err.contains("error: copy to gone failed: "), err);
    assertTrue(err.contains("The local backup is kept"), err);
    assertEquals(0, run(config, "backups", "list"), err);
    assertEquals(2, out.lines().count(), "the local backup is listed: " + out);
  }
}

package io.haven.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** backup.json is read within fixed limits, and a key of the wrong type is a damaged archive. */
class BackupJsonTest {
  private static final String BASE = "\"slug\":\"abcdef01\",\"version\":2,\"name\":\"n\","
      + "\"date\":\"2026-12-01T00:00:00+00:00\",\"type\":\"partial\"";

  private static BackupMetadata read(String json) throws ArchiveException {
    return BackupJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
        "'x.tar'");
  }

  private static String refused(String json) {
    return assertThrows(ArchiveException.Corrupt.class, () -> read(json)).getMessage();
  }

  @Test
  void supervisorExampleIsRead() throws Exception {
    BackupMetadata m = read("{" + BASE + ",\"folders\":[\"share\"],\"protected\":true,"
        + "\"homeassistant\":{\"version\":\"2025.2.4\",\"exclude_database\":true},"
        + "\"addons\":[{\"slug\":\"core_ssh\",\"name\":\"SSH\",\"version\":\"1\"}],"
        + "\"compressed\":false,\"extra\":{\"instance_id\":\"i\"},\"docker\":{}}");
    assertTrue(m.isProtected());
    assertEquals("2025.2.4", m.homeassistant().get().version());
    assertEquals("core_ssh", m.addons().get(0).slug());
    assertTrue(m.unknown().has("docker"));
  }

  // Issue 24: 286,000 keys in 3.9 MB ran the agent out of memory on the fifth upload.
  @Test
  void tooManyKeysAreRefusedBeforeTheTreeIsBuilt() {
    StringBuilder json = new StringBuilder("{" + BASE);
    for (int i = 0; i < 286_000; i++) {
      json.append(",\"k").append(i).append("\":").append(i);
    }
    String message = refused(json.append('}').toString());
    assertTrue(message.startsWith("'x.tar': backup.json is larger or deeper than any backup's"
        + " (Token count (20001) exceeds the maximum allowed"), message);
  }

  @Test
  void deepNestingIsRefused() {
    String message = refused("{" + BASE + ",\"extra\":" + "[".repeat(40) + "]".repeat(40) + "}");
    assertTrue(message.contains("Document nesting depth (33) exceeds the maximum allowed"),
        message);
  }

  @Test
  void longStringIsRefused() {
    String message = refused("{" + BASE + ",\"x\":\"" + "a".repeat(70_000) + "\"}");
    assertTrue(message.contains("String value length (70000) exceeds the maximum allowed"),
        message);
  }

  @Test
  void documentOverOneMibIsRefused() {
    StringBuilder json = new StringBuilder("{" + BASE);
    for (int i = 0; i < 20; i++) {
      json.append(",\"k").append(i).append("\":\"").append("a".repeat(60_000)).append('"');
    }
    String message = refused(json.append('}').toString());
    assertTrue(message.contains("Document length"), message);
  }

  @Test
  void protectedMustBeABoolean() {
    assertEquals("'x.tar': backup.json is invalid: 'protected' must be true or false, not"
        + " \"yes\"; the archive is damaged or not a backup",
        refused("{" + BASE + ",\"protected\":\"yes\"}"));
  }

  // The Supervisor's v1 quirk: the old "protected" held a hint string and meant protected.
  @Test
  void versionOneProtectedHintMeansProtected() throws Exception {
    assertTrue(read("{\"slug\":\"abcdef01\",\"name\":\"n\",\"date\":\"2020-01-01T00:00:00\","
        + "\"protected\":\"hint\"}").isProtected());
  }

  @Test
  void dateMustBeADate() {
    assertEquals("'x.tar': backup.json is invalid: 'date' is not a date and time:"
        + " \"not-a-date\"; the archive is damaged or not a backup",
        refused(("{" + BASE + "}").replace("2026-12-01T00:00:00+00:00", "not-a-date")));
  }

  @Test
  void aDamagedDigestInHavensFactsIsADamagedArchive() {
    String message = refused("{" + BASE + ",\"extra\":{\"haven\":{\"parts\":{\"ssl\":"
        + "{\"tar_size\":10240,\"sha256\":\"e5751fb7M\"}}}}}");
    assertTrue(message.contains("the archive is damaged"), message);
  }

  @Test
  void theUsersExcludesAreKeptAndAnOlderBackupWithoutThemStillReads() throws Exception {
    String older = "{" + BASE + ",\"extra\":{\"haven\":{\"version\":\"0.9\","
        + "\"compression\":\"zstd\",\"parts\":{}}}}";
    HavenFacts facts = read(older).haven().orElseThrow();
    assertEquals(List.of(), facts.excludes());
    BackupMetadata written = read(older).withHaven(new HavenFacts("1.0", Compression.ZSTD,
        "none", Map.of(), null, List.of("media/frigate/**", "*.log")));
    assertEquals(List.of("media/frigate/**", "*.log"), read(new String(
        BackupJson.write(written), StandardCharsets.UTF_8)).haven().orElseThrow().excludes());
  }

  @Test
  void foldersMustBeAList() {
    assertEquals("'x.tar': backup.json is invalid: 'folders' must be a list, not \"share\";"
        + " the archive is damaged or not a backup",
        refused("{" + BASE + ",\"folders\":\"share\"}"));
  }

  @Test
  void otherWrongTypesAreRefused() {
    assertTrue(refused("{" + BASE + ",\"addons\":[\"x\"]}")
        .contains("each of 'addons' must be an object, not \"x\""));
    assertTrue(refused("{" + BASE + ",\"compressed\":\"no\"}")
        .contains("'compressed' must be true or false, not \"no\""));
    assertTrue(refused(("{" + BASE + "}").replace("\"n\"", "5"))
        .contains("'name' must be text, not 5"));
    assertTrue(refused(("{" + BASE + "}").replace("partial", "weekly"))
        .contains("'type' must be \"full\" or \"partial\", not \"weekly\""));
    assertTrue(refused("{" + BASE + ",\"homeassistant\":\"2025.1\"}")
        .contains("'homeassistant' must be an object or null"));
  }
}

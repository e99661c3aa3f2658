package io.haven.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.haven.location.LocationRegistry;
import io.haven.location.LoopbackServers;
import io.haven.testing.GenData;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Supervisor's {@code location} fields over real HTTP on loopback, with a directory location
 * ("usb", a {@code file://} URL) and OpenSSH's SFTP server ("nas"); and the jobs options.
 */
class HttpApiLocationsTest {
  @TempDir Path tmp;
  RunningAgent agent;
  Path root;
  Path usb;

  @BeforeEach
  void start() throws Exception {
    root = GenData.copyTo(tmp.resolve("root"), 1);
    agent = new RunningAgent(root, tmp.resolve("backup"));
    usb = tmp.resolve("usb");
    registry().add(io.haven.location.LocationSpec.of("usb", usb.toUri().toString()));
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  private LocationRegistry registry() {
    return new LocationRegistry(agent.config.locationsFile());
  }

  @Test
  void backupToALocationIsCopiedListedInBothRestoredFromThereAndRemovedPlaceByPlace()
      throws Exception {
    RunningAgent.Answer made = agent.post("/backups/new/full",
        "{\"name\":\"offsite\",\"location\":[null,\"usb\"]}");
    assertEquals(200, made.status(), made.body().toString());
    String slug = made.data().get("slug").asText();
    assertTrue(Files.isRegularFile(usb.resolve(slug + ".tar")));
    JsonNode job = agent.get("/jobs/" + made.data().get("job_id").asText()).data();
    assertEquals(0, job.get("errors").size(), job.toString());
    assertTrue(job.get("extra").get("stages").toString().contains("copy_additional_locations"));

    JsonNode item = agent.get("/backups").data().get("backups").get(0);
    assertTrue(item.get("location").isNull(), item.toString());
    assertEquals("[null,\"usb\"]", item.get("locations").toString());
    long size = Files.size(tmp.resolve("backup").resolve(slug + ".tar"));
    assertEquals(size, item.get("location_attributes").get(".local").get("size_bytes").asLong());
    assertEquals(size, item.get("location_attributes").get("usb").get("size_bytes").asLong());

    assertEquals(200, agent.send(deleteWith("/backups/" + slug, "{\"location\":\".local\"}"))
        .status());
    assertFalse(Files.exists(tmp.resolve("backup").resolve(slug + ".tar")));
    JsonNode info = agent.get("/backups/" + slug + "/info").data();
    assertEquals("usb", info.get("location").asText(), "listed where it still is");
    assertEquals("[\"usb\"]", info.get("locations").toString());
    HttpResponse<byte[]> download = agent.http.send(agent.request("/backups/" + slug
        + "/download?location=usb").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, download.statusCode());
    assertEquals(size, download.body().length);

    Files.writeString(root.resolve("share").resolve("added-later.txt"), "gone after restore");
    RunningAgent.Answer restored = agent.post("/backups/" + slug + "/restore/full",
        "{\"location\":\"usb\"}");
    assertEquals(200, restored.status(), restored.body().toString());
    assertFalse(Files.exists(root.resolve("share").resolve("added-later.txt")));
    assertFalse(Files.exists(tmp.resolve("backup").resolve(slug + ".tar")),
        "a file:// location's archive is restored where it lies, not copied in first");

    assertEquals(200, agent.send(deleteWith("/backups/" + slug, "{\"location\":\"usb\"}"))
        .status());
    assertFalse(Files.exists(usb.resolve(slug + ".tar")));
    assertEquals(0, agent.get("/backups").data().get("backups").size(), "no place holds it");
  }

  @Test
  void deleteWithoutALocationRemovesEveryCopyAsTheSupervisorDoes() throws Exception {
    String slug = agent.post("/backups/new/partial",
        "{\"folders\":[\"ssl\"],\"location\":\"usb\"}").data().get("slug").asText();
    assertTrue(Files.isRegularFile(usb.resolve(slug + ".tar")));
    assertEquals(200, agent.delete("/backups/" + slug).status());
    assertFalse(Files.exists(usb.resolve(slug + ".tar")));
    assertEquals(0, agent.get("/backups").data().get("backups").size());
  }

  @Test
  void anUnknownLocationIsRefusedWith400BeforeAnythingIsDone() throws Exception {
    RunningAgent.Answer refused = agent.post("/backups/new/full", "{\"location\":\"nowhere\"}");
    assertEquals(400, refused.status());
    assertEquals("error", refused.body().get("result").asText());
    assertEquals("Unknown location 'nowhere'. Known locations: .local, usb (null or \".local\""
        + " is the backup directory). Add one with 'haven locations add'.",
        refused.body().get("message").asText());
    assertEquals(0, agent.get("/backups").data().get("backups").size(), "no backup was made");
    assertEquals(0, agent.get("/jobs/info").data().get("jobs").size(), "no job started");

    String slug = agent.post("/backups/new/full", "{}").data().get("slug").asText();
    assertEquals(400, agent.post("/backups/" + slug + "/restore/full",
        "{\"location\":\"nowhere\"}").status());
    assertEquals(400, agent.send(deleteWith("/backups/" + slug, "{\"location\":[\"nowhere\"]}"))
        .status());
    assertEquals(1, agent.get("/backups").data().get("backups").size());
  }

  @Test
  void aCopyThatFailsIsAJobErrorAndTheBackupStays() throws Exception {
    Files.writeString(usb, "a file where the location's directory should be");
    RunningAgent.Answer made = agent.post("/backups/new/full", "{\"location\":[\"usb\"]}");
    assertEquals(200, made.status(), made.body().toString());
    String slug = made.data().get("slug").asText();
    JsonNode errors = agent.get("/jobs/" + made.data().get("job_id").asText()).data()
        .get("errors");
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).get("message").asText().startsWith("Could not copy backup " + slug
        + " to usb: "), errors.toString());
    assertEquals("copy_additional_locations", errors.get(0).get("stage").asText());
    assertEquals("[null]", agent.get("/backups").data().get("backups").get(0).get("locations")
        .toString());
  }

  @Test
  void backupToAnSftpLocationOnLoopbackIsVerifiedAndListedThere() throws Exception {
    try (LoopbackServers.Server sftp = LoopbackServers.sftp()) {
      registry().add(sftp.spec("nas", "copies"));
      RunningAgent.Answer made = agent.post("/backups/new/full", "{\"location\":\"nas\"}");
      assertEquals(200, made.status(), made.body().toString());
      String slug = made.data().get("slug").asText();
      assertEquals(0, agent.get("/jobs/" + made.data().get("job_id").asText()).data()
          .get("errors").size());
      assertEquals(Files.size(tmp.resolve("backup").resolve(slug + ".tar")),
          Files.size(sftp.storage("copies").resolve(slug + ".tar")));
      assertEquals("[null,\"nas\"]", agent.get("/backups/" + slug + "/info").data()
          .get("locations").toString());
      assertEquals(200, agent.send(deleteWith("/backups/" + slug, "{\"location\":[\"nas\"]}"))
          .status());
      assertFalse(Files.exists(sftp.storage("copies").resolve(slug + ".tar")));
    }
  }

  @Test
  void jobOptionsStoreIgnoreConditionsAndResetClearsThem() throws Exception {
    assertEquals("[]", agent.get("/jobs/info").data().get("ignore_conditions").toString());
    assertEquals(200, agent.post("/jobs/options",
        "{\"ignore_conditions\":[\"free_space\",\"healthy\"]}").status());
    assertEquals("[\"free_space\",\"healthy\"]", agent.get("/jobs/info").data()
        .get("ignore_conditions").toString());
    assertTrue(Files.exists(tmp.resolve("backup").resolve(JobOptions.FILE)), "kept on disk");

    RunningAgent.Answer bad = agent.post("/jobs/options", "{\"ignore_conditions\":[\"lunch\"]}");
    assertEquals(400, bad.status());
    assertTrue(bad.body().get("message").asText().startsWith(
        "Unknown job condition \"lunch\" in ignore_conditions."), bad.body().toString());
    assertEquals(200, agent.post("/jobs/options", "{}").status(), "nothing to change");
    assertEquals(List.of("free_space", "healthy"), List.of(agent.get("/jobs/info").data()
        .get("ignore_conditions").get(0).asText(), agent.get("/jobs/info").data()
        .get("ignore_conditions").get(1).asText()));

    assertEquals(200, agent.post("/jobs/reset", "").status());
    assertEquals("[]", agent.get("/jobs/info").data().get("ignore_conditions").toString());
  }

  private HttpRequest deleteWith(String path, String json) {
    return agent.request(path).header("Content-Type", "application/json")
        .method("DELETE", HttpRequest.BodyPublishers.ofString(json)).build();
  }
}

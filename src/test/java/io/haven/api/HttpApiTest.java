package io.haven.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.haven.agent.Job;
import io.haven.testing.GenData;
import io.haven.tree.Progress;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpApiTest {
  @TempDir Path tmp;
  RunningAgent agent;
  Path root;

  @BeforeEach
  void start() throws Exception {
    root = GenData.copyTo(tmp.resolve("root"), 4);
    agent = new RunningAgent(root, tmp.resolve("backup"));
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  @Test
  void callsWithoutTheRightTokenAreRefusedWith401() throws Exception {
    HttpResponse<String> none = agent.http.send(HttpRequest.newBuilder(agent.uri("/backups"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, none.statusCode());
    assertTrue(none.body().contains("\"result\":\"error\""), none.body());
    HttpResponse<String> wrong = agent.http.send(HttpRequest.newBuilder(agent.uri("/backups"))
        .header("Authorization", "Bearer " + RunningAgent.TOKEN + "x").build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, wrong.statusCode());
    assertEquals(200, agent.get("/backups").status());
  }

  @Test
  void fullBackupIsListedDownloadedByteForByteAndDeleted() throws Exception {
    RunningAgent.Answer made = agent.post("/backups/new/full", "{\"name\":\"Nightly one\"}");
    assertEquals(200, made.status(), made.body().toString());
    String slug = made.data().get("slug").asText();
    assertEquals(32, made.data().get("job_id").asText().length());

    JsonNode list = agent.get("/backups").data().get("backups");
    assertEquals(1, list.size());
    assertEquals(slug, list.get(0).get("slug").asText());
    assertEquals("full", list.get(0).get("type").asText());
    JsonNode info = agent.get("/backups/" + slug + "/info").data();
    assertEquals("Nightly one", info.get("name").asText());
    assertEquals(30, agent.get("/backups/info").data().get("days_until_stale").asInt());

    HttpResponse<InputStream> download = agent.http.send(agent.request("/backups/" + slug
        + "/download").build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, download.statusCode());
    assertEquals("attachment; filename=\"Nightly_one.tar\"",
        download.headers().firstValue("Content-Disposition").orElseThrow());
    Path file = tmp.resolve("backup").resolve(slug + ".tar");
    assertEquals(sha256(Files.newInputStream(file)), sha256(download.body()));

    assertEquals(200, agent.delete("/backups/" + slug).status());
    assertEquals(0, agent.get("/backups").data().get("backups").size());
    RunningAgent.Answer gone = agent.get("/backups/" + slug + "/info");
    assertEquals(404, gone.status());
    assertTrue(gone.body().get("message").asText().startsWith("No backup '" + slug + "'"));
  }

  @Test
  void partialBackupHoldsOnlyTheNamedParts() throws Exception {
    RunningAgent.Answer made = agent.post("/backups/new/partial",
        "{\"name\":\"some\",\"folders\":[\"ssl\",\"share\"],\"addons\":[\"core_mosquitto\"],"
            + "\"compressed\":false}");
    assertEquals(200, made.status(), made.body().toString());
    JsonNode item = agent.get("/backups").data().get("backups").get(0);
    assertEquals("partial", item.get("type").asText());
    assertFalse(item.get("compressed").asBoolean());
    assertFalse(item.get("content").get("homeassistant").asBoolean());
    assertEquals("[\"core_mosquitto\"]", item.get("content").get("addons").toString());
    assertEquals("[\"ssl\",\"share\"]", item.get("content").get("folders").toString());
  }

  @Test
  void backgroundBackupAnswersAtOnceAndItsJobShowsStagesThenDone() throws Exception {
    RunningAgent.Answer started = agent.post("/backups/new/full", "{\"background\":true}");
    assertEquals(200, started.status());
    assertFalse(started.data().has("slug"), "a background job has no slug yet");
    String id = started.data().get("job_id").asText();
    Job job = agent.daemon.daemon().jobs().find(id).orElseThrow();
    job.await(java.time.Duration.ofMinutes(2));

    JsonNode j = agent.get("/jobs/" + id).data();
    assertTrue(j.get("done").asBoolean(), j.toString());
    assertEquals("backup_manager_full_backup", j.get("name").asText());
    assertEquals(0, j.get("errors").size(), j.toString());
    assertEquals(List.of("home_assistant", "addons", "folders", "finishing_file"),
        distinct(j.get("extra").get("stages")));
    assertEquals(100.0, j.get("progress").asDouble());
    String slug = j.get("reference").asText();
    assertTrue(Files.exists(tmp.resolve("backup").resolve(slug + ".tar")));
    JsonNode jobs = agent.get("/jobs/info").data().get("jobs");
    assertEquals(id, jobs.get(0).get("uuid").asText());
    assertEquals(200, agent.delete("/jobs/" + id).status());
    assertEquals(404, agent.get("/jobs/" + id).status());
  }

  @Test
  void secondJobWhileOneRunsIsRefusedBusy() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Job holding = agent.daemon.daemon().jobs().start("holding_job", Optional.empty(),
        Progress.NONE, (s, j) -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "x";
    }, x -> x);
    try {
      RunningAgent.Answer refused = agent.post("/backups/new/full", "{}");
      assertEquals(409, refused.status());
      assertEquals("busy: job " + holding.uuid() + " (holding_job) is running; wait for it to"
          + " finish", refused.body().get("message").asText());
    } finally {
      release.countDown();
    }
    holding.await(java.time.Duration.ofMinutes(1));
    assertEquals(200, agent.post("/backups/new/full", "{}").status());
  }

  // Before: a job showed done before it let go of the job lock, so a caller that saw it end and
  // started the next one at once was now and then refused busy.
  @Test
  void whoeverSeesAJobEndCanStartTheNextAtOnce() throws Exception {
    for (int i = 0; i < 200; i++) {
      Job job = agent.daemon.daemon().jobs().start("quick_job", Optional.empty(), Progress.NONE,
          (s, j) -> "x", x -> x);
      if (i % 2 == 0) {
        assertTrue(job.await(java.time.Duration.ofMinutes(1)));
      } else {
        while (!job.isDone()) {
          Thread.onSpinWait();
        }
      }
    }
    assertEquals(200, agent.post("/backups/new/full", "{}").status());
  }

  @Test
  void fullRestorePutsBackWhatChanged() throws Exception {
    String slug = agent.post("/backups/new/full", "{}").data().get("slug").asText();
    Files.writeString(root.resolve("ssl/fullchain.pem"), "changed");
    Files.writeString(root.resolve("share/added.txt"), "added");
    RunningAgent.Answer restored = agent.post("/backups/" + slug + "/restore/full", "{}");
    assertEquals(200, restored.status(), restored.body().toString());
    assertFalse(Files.readString(root.resolve("ssl/fullchain.pem")).equals("changed"));
    assertFalse(Files.exists(root.resolve("share/added.txt")));
    JsonNode job = agent.get("/jobs/" + restored.data().get("job_id").asText()).data();
    assertEquals("backup_manager_full_restore", job.get("name").asText());
    assertEquals(slug, job.get("reference").asText());
  }

  @Test
  void uploadIntoAnotherAgentIsStreamedCheckedAndListed() throws Exception {
    String slug = agent.post("/backups/new/full", "{\"name\":\"moving\"}").data()
        .get("slug").asText();
    Path file = tmp.resolve("backup").resolve(slug + ".tar");
    Path otherRoot = Files.createDirectories(tmp.resolve("other-root"));
    try (RunningAgent other = new RunningAgent(otherRoot, tmp.resolve("other-backup"))) {
      String boundary = "haven-boundary-42";
      HttpRequest upload = other.request("/backups/new/upload")
          .header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> multipart(boundary, file)))
          .build();
      RunningAgent.Answer a = other.send(upload);
      assertEquals(200, a.status(), a.body().toString());
      assertEquals(slug, a.data().get("slug").asText());
      assertEquals(slug, other.get("/backups").data().get("backups").get(0).get("slug")
          .asText());
      Path copy = tmp.resolve("other-backup").resolve(slug + ".tar");
      assertEquals(sha256(Files.newInputStream(file)), sha256(Files.newInputStream(copy)));
      try (Stream<Path> s = Files.list(tmp.resolve("other-backup"))) {
        assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".haven-tmp-")));
      }

      RunningAgent.Answer notABackup = other.send(other.request("/backups/new/upload")
          .POST(HttpRequest.BodyPublishers.ofString("not a tar at all")).build());
      assertEquals(400, notABackup.status(), notABackup.body().toString());
      assertEquals(1, other.get("/backups").data().get("backups").size());
    }
  }

  @Test
  void generatedTokenFileIsPrivate() throws Exception {
    io.haven.config.Config c = new io.haven.config.Config(root, tmp.resolve("b2"),
        io.haven.archive.Compression.ZSTD, 1);
    String token = Token.load(c);
    assertEquals(64, token.length());
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(c.tokenFile())));
    assertEquals(token, Token.load(c), "the same token on the next start");
  }

  static InputStream multipart(String boundary, Path file) {
    try {
      String head = "preamble\r\n--" + boundary + "\r\nContent-Disposition: form-data;"
          + " name=\"file\"; filename=\"x.tar\"\r\nContent-Type: application/x-tar\r\n\r\n";
      String tail = "\r\n--" + boundary + "--\r\n";
      return new java.io.SequenceInputStream(java.util.Collections.enumeration(List.of(
          new java.io.ByteArrayInputStream(head.getBytes(StandardCharsets.US_ASCII)),
          Files.newInputStream(file),
          new java.io.ByteArrayInputStream(tail.getBytes(StandardCharsets.US_ASCII)))));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static List<String> distinct(JsonNode stages) {
    List<String> out = new ArrayList<>();
    stages.forEach(s -> {
      if (out.isEmpty() || !out.get(out.size() - 1).equals(s.asText())) {
        out.add(s.asText());
      }
    });
    return out;
  }

  static String sha256(InputStream in) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    try (in) {
      byte[] buf = new byte[65536];
      int n;
      while ((n = in.read(buf)) > 0) {
        d.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }

}

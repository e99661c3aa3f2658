package io.haven.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.haven.agent.Backups;
import io.haven.archive.Compression;
import io.haven.archive.Part;
import io.haven.archive.SecureTar;
import io.haven.backup.BackupRequest;
import io.haven.config.Config;
import io.haven.testing.GenData;
import io.haven.tree.Progress;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code haven agent} as its own JVM, with systemd's notify socket played by socat. */
class AgentProcessTest {
  private static final String TOKEN = "process-token-0123456789";
  private static final Pattern SERVING = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)");

  @TempDir Path tmp;

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // if nothing arrives
  void sigtermDuringABackupCancelsItLeavesNoFileAndTellsSystemd() throws Exception {
    requireProgram("/usr/bin/socat", "socat");
    Path root = GenData.copyTo(tmp.resolve("root"), 4);
    // Random bytes gzip slowly, so the backup is surely running when SIGTERM comes.
    GenData.run(new ProcessBuilder("head", "-c", "96M", "/dev/urandom")
        .redirectOutput(root.resolve("share/random.bin").toFile()));
    Path backupDir = tmp.resolve("backup");
    Path notify = tmp.resolve("notify.sock");
    Process socat = new ProcessBuilder("/usr/bin/socat", "-u", "UNIX-RECV:" + notify, "STDOUT")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Process agent = null;
    try {
      while (!Files.exists(notify)) {
        assertTrue(socat.isAlive(), "socat exited before listening");
        Thread.sleep(10);
      }
      agent = startAgent(root, backupDir, notify);
      int port = port(agent);
      assertEquals("READY=1STATUS=idle", readUntil(socat.getInputStream(), "STATUS=idle"));

      HttpClient http = HttpClient.newHttpClient();
      JsonNode started = send(http, HttpRequest.newBuilder(uri(port, "/backups/new/full"))
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"background\":true,\"compression\":\"gzip\"}")));
      String job = started.get("data").get("job_id").asText();
      awaitBytes(http, port, job);

      agent.destroy(); // SIGTERM
      assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent exits after SIGTERM");
      assertEquals(143, agent.exitValue(), "ended by SIGTERM, after its shutdown hook");
      String told = readUntil(socat.getInputStream(), "STOPPING=1");
      assertTrue(told.startsWith("STATUS=backup_manager_full_backup: "), told);
      try (Stream<Path> s = Files.list(backupDir)) {
        List<String> left = s.map(p -> p.getFileName().toString())
            .filter(n -> n.endsWith(".tar") || n.startsWith(".haven-tmp-")).toList();
        assertEquals(List.of(), left, "no backup and no temporary file");
      }
      assertTrue(!Files.exists(backupDir.resolve(".haven.sock")), "socket removed");
    } finally {
      if (agent != null) {
        agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      socat.destroy();
      socat.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void multiHundredMegabyteUploadStreamsIntoAnAgentWithA64MegabyteHeap() throws Exception {
    Path source = Files.createDirectories(tmp.resolve("source/share"));
    try (RandomAccessFile big = new RandomAccessFile(source.resolve("big.bin").toFile(), "rw")) {
      big.setLength(320L << 20); // zeros, sparse: quick to make
    }
    Backups maker = new Backups(new Config(tmp.resolve("source"), tmp.resolve("made"),
        Compression.NONE, 1), Clock.systemUTC(), "test");
    Path made = maker.create(new BackupRequest("big upload", List.of(Part.folder("share")),
        Optional.empty(), Compression.NONE, SecureTar.Version.V3, false, Optional.empty()),
        Progress.NONE).file();
    assertTrue(Files.size(made) > 300L << 20, "an archive of several hundred MB");
    Path backupDir = tmp.resolve("backup");
    Process agent = startAgent(tmp.resolve("root"), backupDir, null, "-Xmx64m");
    try {
      int port = port(agent);
      JsonNode answer = send(HttpClient.newHttpClient(), HttpRequest.newBuilder(
          uri(port, "/backups/new/upload?filename=big.tar"))
          .header("Content-Type", "application/x-tar")
          .POST(HttpRequest.BodyPublishers.ofFile(made)));
      String slug = answer.get("data").get("slug").asText();
      assertEquals(-1, Files.mismatch(made, backupDir.resolve("big.tar")), "the same bytes");
      assertTrue(!Files.readString(tmp.resolve("agent.log")).contains("OutOfMemoryError"));
      assertEquals(slug, send(HttpClient.newHttpClient(), HttpRequest.newBuilder(
          uri(port, "/backups/" + slug + "/info")).GET()).get("data").get("slug").asText());
    } finally {
      agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  // Before: "api_listen: 0.0.0.0:8470" served every machine on the network without a word.
  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void anAgentAskedToListenOnEveryAddressRefusesToStart() throws Exception {
    ProcessBuilder pb = agentCommand(tmp.resolve("root"), tmp.resolve("backup"), "-Xmx64m");
    pb.environment().put("HAVEN_API_LISTEN", "0.0.0.0:0");
    Process agent = pb.start();
    assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
    String log = Files.readString(tmp.resolve("agent.log"));
    assertEquals(7, agent.exitValue(), log);
    assertTrue(log.contains("api_listen 0.0.0.0:0 is not a loopback address, so other machines"
        + " could reach the API. Listen on 127.0.0.1, or set api_allow_remote: true in the"
        + " config to mean it."), log);
    assertTrue(!log.contains("\tat "), log);
    assertTrue(!Files.exists(tmp.resolve("backup").resolve(".haven-api-token")));
  }

  private Process startAgent(Path root, Path backupDir, Path notify) throws IOException {
    return startAgent(root, backupDir, notify, "-Xmx128m");
  }

  private Process startAgent(Path root, Path backupDir, Path notify, String heap)
      throws IOException {
    ProcessBuilder pb = agentCommand(root, backupDir, heap);
    if (notify != null) {
      pb.environment().put("NOTIFY_SOCKET", notify.toString());
    }
    return pb.start();
  }

  private ProcessBuilder agentCommand(Path root, Path backupDir, String heap) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(List.of(java, heap, "-cp",
        System.getProperty("java.class.path"), "io.haven.cli.Main", "agent"))
        .directory(tmp.toFile())
        .redirectError(tmp.resolve("agent.log").toFile());
    pb.environment().put("HAVEN_DATA_ROOT", root.toString());
    pb.environment().put("HAVEN_BACKUP_DIR", backupDir.toString());
    pb.environment().put("HAVEN_API_LISTEN", "127.0.0.1:0");
    pb.environment().put("HAVEN_API_TOKEN", TOKEN);
    pb.environment().put("HAVEN_CONFIG", tmp.resolve("absent.yaml").toString());
    pb.environment().remove("HAVEN_SOCKET");
    Files.writeString(tmp.resolve("absent.yaml"), "compression_workers: 1\n");
    return pb;
  }

  private int port(Process agent) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream(),
        StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null) {
      fail("the agent printed nothing; its log: " + Files.readString(tmp.resolve("agent.log")));
    }
    Matcher m = SERVING.matcher(line);
    assertTrue(m.find(), line);
    return Integer.parseInt(m.group(1));
  }

  private static void awaitBytes(HttpClient http, int port, String job) throws Exception {
    while (true) {
      JsonNode j = send(http, HttpRequest.newBuilder(uri(port, "/jobs/" + job)).GET())
          .get("data");
      assertTrue(!j.get("done").asBoolean(), "the backup ended before SIGTERM: " + j);
      if (j.get("extra").get("bytes_done").asLong() > 0) {
        return;
      }
      Thread.sleep(20);
    }
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static JsonNode send(HttpClient http, HttpRequest.Builder b) throws Exception {
    HttpResponse<String> r = http.send(b.header("Authorization", "Bearer " + TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return Wire.JSON.readTree(r.body());
  }

  private static void requireProgram(String path, String debianPackage) {
    if (Files.isExecutable(Path.of(path))) {
      return;
    }
    String why = path + " is missing: apt-get install " + debianPackage;
    if ("1".equals(System.getenv("HAVEN_TEST_DISALLOW_SKIP"))) {
      fail(why);
    }
    Assumptions.assumeTrue(false, why);
  }

  /** socat prints each datagram as it arrives, without separators. */
  private static String readUntil(InputStream in, String end) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      seen.write(b);
      if (seen.toString(StandardCharsets.UTF_8).endsWith(end)) {
        return seen.toString(StandardCharsets.UTF_8);
      }
    }
    return fail("socat stopped after: " + seen.toString(StandardCharsets.UTF_8));
  }
}

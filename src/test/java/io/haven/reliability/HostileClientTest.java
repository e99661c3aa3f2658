package io.haven.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24's attacks on a running agent, in its own JVM under a 64 MiB heap: raw sockets that
 * send half a request, a stalled upload, more event streams than the server has threads, and
 * uploads whose backup.json would fill the heap. A signed-in caller is answered throughout.
 */
class HostileClientTest {
  private static final String TOKEN = "hostile-client-token-0123456789";
  private static final int IDLE_SECONDS = 3;

  @TempDir Path tmp;
  Process agent;
  int port;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root/config"));
    Files.writeString(root.resolve("configuration.yaml"), "homeassistant:\n");
    Files.createDirectories(tmp.resolve("root/share"));
    Files.write(tmp.resolve("root/share/data.bin"), new byte[1 << 20]);
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Haven haven = new Haven(tmp, tmp.resolve("root"), tmp.resolve("backup"));
    agent = haven.fork(List.of("-Xmx64m", "-Dhaven.http.idle-seconds=" + IDLE_SECONDS),
        Map.of("HAVEN_API_LISTEN", "127.0.0.1:" + port, "HAVEN_API_TOKEN", TOKEN,
            "HAVEN_SOCKET", tmp.resolve("haven.sock").toString()), "agent")
        .redirectErrorStream(true).redirectOutput(tmp.resolve("agent.log").toFile()).start();
    for (int i = 0; i < 300 && !answers(); i++) {
      Thread.sleep(100);
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    agent.destroy();
    agent.waitFor();
  }

  private boolean answers() {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private HttpResponse<String> get(String path) throws InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder r) throws InterruptedException {
    try {
      return http.send(r.header("Authorization", "Bearer " + TOKEN)
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("no answer: " + e, e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private Socket raw(String request) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    sockets.add(s);
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  // Before: 8 such connections made every signed-in call wait for as long as they stayed open.
  @Test
  void halfSentRequestsStarveNobodyAndAreClosed() throws Exception {
    for (int i = 0; i < 64; i++) {
      raw("GET /health HTTP/1.1\r\nHost: x\r\n");
    }
    assertEquals(200, get("/backups").statusCode());
    for (Socket s : sockets) {
      s.setSoTimeout((IDLE_SECONDS + 10) * 1000);
      assertEquals(-1, s.getInputStream().read(), "the agent closes a silent connection");
    }
  }

  // Before: a stalled upload held the job lock indefinitely (backups 409 busy after 105 s), and
  // 8 event streams made every other call wait.
  @Test
  void stalledUploadLosesTheLockAndEventStreamsAreBounded() throws Exception {
    raw("POST /backups/new/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
        + "\r\nContent-Type: application/x-tar\r\nContent-Length: 100000000\r\n\r\n"
        + "\0".repeat(10240));
    String job = null;
    for (int i = 0; i < 100 && job == null; i++) {
      String jobs = get("/jobs/info").body();
      int at = jobs.indexOf("\"uuid\":\"");
      job = at < 0 ? null : jobs.substring(at + 8, jobs.indexOf('"', at + 8));
      Thread.sleep(50);
    }
    List<Socket> watchers = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      watchers.add(raw("GET /jobs/" + job + "/events HTTP/1.1\r\nHost: x\r\nAuthorization:"
          + " Bearer " + TOKEN + "\r\n\r\n"));
    }
    assertEquals(200, get("/backups").statusCode());
    int refused = 0;
    for (Socket w : watchers) {
      w.setSoTimeout(20_000);
      refused += firstLine(w.getInputStream()).contains(" 429 ") ? 1 : 0;
    }
    assertEquals(4, refused, "12 watchers, 8 served");
    HttpResponse<String> backup = null;
    for (int i = 0; i < 100; i++) {
      backup = send(HttpRequest.newBuilder(uri("/backups/new/partial"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"folders\":[\"share\"]}")));
      if (backup.statusCode() != 409) {
        break;
      }
      Thread.sleep(200);
    }
    assertEquals(200, backup.statusCode(), backup.body());
  }

  // Before: a caller that went away in the middle of a download was logged as an unexpected
  // failure with its stack ("please report"), and a cut-off upload failed with the server's
  // own words for an early end of stream.
  @Test
  void callersThatGoAwayAreNoFailureOfHavens() throws Exception {
    byte[] noise = new byte[16 << 20];
    new java.util.Random(7).nextBytes(noise);
    Files.write(tmp.resolve("root/share/noise.bin"), noise);
    HttpResponse<String> made = send(HttpRequest.newBuilder(uri("/backups/new/partial"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"folders\":[\"share\"]}")));
    assertEquals(200, made.statusCode(), made.body());
    String slug = made.body().replaceAll("(?s).*\"slug\":\"([^\"]+)\".*", "$1");
    for (int i = 0; i < 3; i++) {
      Socket s = raw("GET /backups/" + slug + "/download HTTP/1.1\r\nHost: x\r\n"
          + "Authorization: Bearer " + TOKEN + "\r\n\r\n");
      assertTrue(firstLine(s.getInputStream()).contains(" 200 "));
      s.getInputStream().readNBytes(4096);
      s.setSoLinger(true, 0);
      s.close();
    }
    Socket upload = raw("POST /backups/new/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + TOKEN + "\r\nContent-Type: application/x-tar\r\nContent-Length: 100000000\r\n\r\n");
    upload.getOutputStream().write(noise, 0, 1 << 20);
    upload.setSoLinger(true, 0);
    upload.close();
    String failed = "";
    for (int i = 0; i < 100 && !failed.contains("upload stopped"); i++) {
      Thread.sleep(100);
      failed = get("/jobs/info").body();
    }
    assertTrue(failed.contains("The upload stopped before its end"), failed);
    assertEquals(200, get("/backups").statusCode());
    String log = Files.readString(tmp.resolve("agent.log"));
    assertTrue(!log.contains("please report") && !log.contains("\tat "), log);
  }

  private static String firstLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
      line.write(b);
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  // Before: the fifth such upload ran the agent out of memory for good.
  @Test
  void uploadsOfAHugeBackupJsonAreRefusedInASmallHeap() throws Exception {
    StringBuilder json = new StringBuilder("{\"slug\":\"abcdef01\",\"version\":2,\"name\":\"n\","
        + "\"date\":\"2026-12-01T00:00:00+00:00\"");
    for (int i = 0; i < 286_000; i++) {
      json.append(",\"k").append(i).append("\":").append(i);
    }
    byte[] tar = tar(json.append('}').toString().getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 8; i++) {
      HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/backups/new/upload"))
          .POST(HttpRequest.BodyPublishers.ofByteArray(tar)));
      assertEquals(400, r.statusCode(), r.body());
      assertTrue(r.body().contains("backup.json is larger or deeper than any backup's"),
          r.body());
    }
    assertEquals(200, get("/backups").statusCode());
    assertTrue(agent.isAlive());
  }

  // Before: each listed backup kept its whole backup.json in the heap (about 1 MiB for one of
  // 9,900 keys, which is within the limits), so some dozens of them ran the agent out of memory
  // at every listing, also after a restart.
  @Test
  void manyBackupsWithLargeButValidBackupJsonListInASmallHeap() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("backup"));
    int count = 300;
    for (int i = 0; i < count; i++) {
      StringBuilder json = new StringBuilder("{\"slug\":\"big" + String.format("%05d", i)
          + "\",\"version\":2,\"name\":\"large " + i + "\",\"date\":"
          + "\"2026-12-01T00:00:00+00:00\",\"type\":\"partial\",\"compressed\":false,"
          + "\"protected\":false,\"folders\":[],\"addons\":[],\"extra\":{");
      for (int k = 0; k < 9_900; k++) {
        json.append(k == 0 ? "" : ",").append("\"key").append(k).append("\":").append(k);
      }
      Files.write(dir.resolve("big" + i + ".tar"),
          tar(json.append("}}").toString().getBytes(StandardCharsets.UTF_8)));
    }
    for (int round = 0; round < 3; round++) {
      HttpResponse<String> list = get("/backups");
      assertEquals(200, list.statusCode(), list.body());
      assertEquals(count, list.body().split("\"slug\":\"big").length - 1, () -> list.body().substring(0, Math.min(600, list.body().length())));
    }
    HttpResponse<String> info = get("/backups/big00007/info");
    assertEquals(200, info.statusCode(), info.body());
    assertTrue(info.body().contains("\"key9899\":9899"), "a detail shows the whole backup.json");
    assertTrue(agent.isAlive());
  }

  private static byte[] tar(byte[] backupJson) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry e = new TarArchiveEntry("./backup.json");
      e.setSize(backupJson.length);
      t.putArchiveEntry(e);
      t.write(backupJson);
      t.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }
}

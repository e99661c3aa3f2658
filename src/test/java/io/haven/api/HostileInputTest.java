package io.haven.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 24's bad inputs, sent to a running agent: each gets its 4xx and a message, no bug. */
class HostileInputTest {
  @TempDir Path tmp;
  RunningAgent agent;
  Path backups;

  @BeforeEach
  void start() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root/share"));
    Files.writeString(root.resolve("f.txt"), "share");
    backups = tmp.resolve("backup");
    agent = new RunningAgent(tmp.resolve("root"), backups);
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  static String backupJson(String slug, String extra) {
    return "{\"slug\":\"" + slug + "\",\"version\":2,\"name\":\"n\",\"date\":"
        + "\"2026-12-01T00:00:00+00:00\",\"type\":\"partial\",\"folders\":[],"
        + "\"homeassistant\":null,\"addons\":[],\"compressed\":false,\"protected\":false"
        + extra + "}";
  }

  /** An uncompressed backup: backup.json, then the given members. */
  static byte[] tar(String json, Object... members) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
      t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      add(t, "./backup.json", json.getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < members.length; i += 2) {
        add(t, (String) members[i], (byte[]) members[i + 1]);
      }
    }
    return bytes.toByteArray();
  }

  private static void add(TarArchiveOutputStream t, String name, byte[] data) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(name.endsWith("/") ? 0 : data.length);
    t.putArchiveEntry(e);
    if (!name.endsWith("/")) {
      t.write(data);
    }
    t.closeArchiveEntry();
  }

  RunningAgent.Answer upload(byte[] tar, String fileName) throws Exception {
    String query = fileName == null ? ""
        : "?filename=" + URLEncoder.encode(fileName, StandardCharsets.UTF_8);
    return agent.send(agent.request("/backups/new/upload" + query)
        .POST(HttpRequest.BodyPublishers.ofByteArray(tar)).build());
  }

  private void assertRefused(RunningAgent.Answer a, int status, String message) {
    assertEquals(status, a.status(), a.body().toString());
    String said = a.body().get("message").asText();
    assertTrue(said.contains(message), said);
    assertFalse(said.contains("unexpected failure") || said.contains(".haven-tmp")
        || said.contains(tmp.toString()), said);
  }

  private void assertNothingWritten() throws IOException {
    try (Stream<Path> s = Files.list(backups)) {
      assertEquals(List.of(), s.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith(".haven-api-token") && !n.equals(".haven.sock")
          && !n.equals(".haven.lock")).toList());
    }
  }

  @Test
  void badFileNamesAreRefusedBeforeAnythingIsWritten() throws Exception {
    byte[] tar = tar(backupJson("abcdef01", ""));
    String[][] cases = {
        {"../x.tar", "must not hold a slash"}, {"a/b.tar", "must not hold a slash"},
        {".hidden.tar", "must not start with a dot"}, {"noext", "must end in .tar"},
        {".tar", "must end in .tar"}, {"nul\0.tar", "must not hold control characters"},
        {"evil\r\nSet-Cookie: x=1.tar", "must not hold control characters"},
        {"x".repeat(296) + ".tar", "longer than 255 bytes"}};
    for (String[] c : cases) {
      assertRefused(upload(tar, c[0]), 400, c[1]);
      assertNothingWritten();
    }
    RunningAgent.Answer made = agent.post("/backups/new/partial",
        "{\"folders\":[\"share\"],\"filename\":\"" + "y".repeat(296) + ".tar\"}");
    assertRefused(made, 400, "longer than 255 bytes");
    assertNothingWritten();
  }

  @Test
  void downloadNameIsEncodedNotWrittenRaw() throws Exception {
    assertEquals(200, upload(tar(backupJson("abcdef02", "")), "Été 2026 \"ü\".tar").status());
    HttpResponse<byte[]> r = agent.http.send(agent.request("/backups/abcdef02/download")
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertEquals("attachment; filename=\"_t_ 2026 ___.tar\"; filename*=UTF-8''"
        + "%C3%89t%C3%A9%202026%20%22%C3%BC%22.tar",
        r.headers().firstValue("Content-Disposition").get());
  }

  @Test
  void backupJsonOfTheWrongTypesIsRefusedAsDamaged() throws Exception {
    String[][] cases = {
        {",\"protected\":\"yes\"", "'protected' must be true or false, not \"yes\""},
        {",\"date\":\"not-a-date\"", "'date' is not a date and time: \"not-a-date\""},
        {",\"folders\":\"share\"", "'folders' must be a list, not \"share\""}};
    for (String[] c : cases) {
      String json = backupJson("abcdef03", "").replace(",\"folders\":[]", "")
          .replace(",\"protected\":false", "").replace("\"date\":\"2026-12-01T00:00:00+00:00\",",
              "") + "";
      json = json.substring(0, json.length() - 1) + (c[0].contains("date") ? c[0]
          : ",\"date\":\"2026-12-01T00:00:00+00:00\"" + c[0]) + "}";
      RunningAgent.Answer a = upload(tar(json), null);
      assertRefused(a, 400, c[1]);
      assertNothingWritten();
    }
  }

  // Issue 24: 286,000 keys in a 3.9 MB backup.json; the fifth such upload ran the agent out of
  // memory. Now each is refused while it is read.
  @Test
  void backupJsonWithTooManyKeysIsRefused() throws Exception {
    StringBuilder keys = new StringBuilder();
    for (int i = 0; i < 286_000; i++) {
      keys.append(",\"k").append(i).append("\":").append(i);
    }
    byte[] tar = tar(backupJson("abcdef04", keys.toString()));
    for (int i = 0; i < 6; i++) {
      assertRefused(upload(tar, null), 400, "backup.json is larger or deeper than any backup's");
    }
    assertNothingWritten();
    assertEquals(200, agent.get("/backups").status());
  }

  @Test
  void fileThenDirectoryOfTheSameNameIsADamagedArchive() throws Exception {
    ByteArrayOutputStream inner = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(inner)) {
      add(t, "x", "a file".getBytes(StandardCharsets.UTF_8));
      add(t, "x/", new byte[0]);
    }
    byte[] tar = tar(backupJson("abcdef05", "").replace("\"folders\":[]",
        "\"folders\":[\"share\"]"), "./share.tar", inner.toByteArray());
    assertEquals(200, upload(tar, null).status());
    RunningAgent.Answer restore = agent.post("/backups/abcdef05/restore/partial",
        "{\"folders\":[\"share\"]}");
    assertRefused(restore, 400, "needs the directory 'x', but the part already has a file");
    assertEquals("share", Files.readString(tmp.resolve("root/share/f.txt")));
  }
}

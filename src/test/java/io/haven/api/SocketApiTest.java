package io.haven.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.haven.cli.Main;
import io.haven.testing.GenData;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketApiTest {
  @TempDir Path tmp;

  @Test
  void socketAnswersEachRequestLineWithItsIdAndProgressBeforeTheResult() throws Exception {
    Path root = GenData.copyTo(tmp.resolve("root"), 4);
    try (RunningAgent agent = new RunningAgent(root, tmp.resolve("backup"))) {
      Path socket = agent.config.socket();
      assertEquals("rw-rw----", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(socket)));
      try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        ch.connect(UnixDomainSocketAddress.of(socket));
        OutputStream out = Channels.newOutputStream(ch);
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
            StandardCharsets.UTF_8));

        JsonNode empty = ask(out, in, "{\"id\":1,\"cmd\":\"backups.list\"}").get(0);
        assertEquals(1, empty.get("id").asInt());
        assertEquals("ok", empty.get("result").asText());
        assertEquals(0, empty.get("data").get("backups").size());

        List<JsonNode> lines = ask(out, in,
            "{\"id\":\"b\",\"command\":\"backups.new\",\"name\":\"via socket\"}");
        JsonNode last = lines.get(lines.size() - 1);
        assertEquals("b", last.get("id").asText());
        assertEquals("ok", last.get("result").asText(), last.toString());
        String slug = last.get("data").get("slug").asText();
        lines.subList(0, lines.size() - 1).forEach(l ->
            assertEquals("progress", l.get("result").asText()));

        JsonNode info = ask(out, in, "{\"id\":3,\"cmd\":\"backups.info\",\"args\":{\"slug\":\""
            + slug + "\"}}").get(0);
        assertEquals("via socket", info.get("data").get("name").asText());
        JsonNode jobs = ask(out, in, "{\"id\":4,\"cmd\":\"jobs.info\"}").get(0);
        assertEquals(slug, jobs.get("data").get("jobs").get(0).get("reference").asText());

        JsonNode unknown = ask(out, in, "{\"id\":5,\"cmd\":\"backups.explode\"}").get(0);
        assertEquals("error", unknown.get("result").asText());
        assertTrue(unknown.get("message").asText().startsWith("No socket command"));
        JsonNode missing = ask(out, in, "{\"id\":6,\"cmd\":\"backups.remove\","
            + "\"slug\":\"00000000\"}").get(0);
        assertEquals(4, missing.get("exit_code").asInt(), missing.toString());
      }
    }
  }

  // Before: a line over 1 MiB closed the connection without a word.
  @Test
  void aLineOverOneMebibyteIsAnsweredWithAnErrorAndTheNextLineStillServed() throws Exception {
    try (RunningAgent agent = new RunningAgent(Files.createDirectories(tmp.resolve("root")),
        tmp.resolve("backup"));
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(agent.config.socket()));
      OutputStream out = Channels.newOutputStream(ch);
      BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
          StandardCharsets.UTF_8));
      String huge = "{\"id\":1,\"cmd\":\"backups.list\",\"pad\":\"" + "x".repeat(3 << 20)
          + "\"}";
      JsonNode refused = ask(out, in, huge).get(0);
      assertEquals("error", refused.get("result").asText(), refused.toString());
      assertEquals("The request is longer than 1 MiB, which no Haven command needs. Send one"
          + " JSON request a line.", refused.get("message").asText());
      assertEquals(2, refused.get("exit_code").asInt());
      assertEquals(400, refused.get("http_status").asInt());
      JsonNode next = ask(out, in, "{\"id\":2,\"cmd\":\"backups.list\"}").get(0);
      assertEquals("ok", next.get("result").asText(), next.toString());
      assertEquals(2, next.get("id").asInt());
    }
  }

  /** Sends a line; returns the lines answered, the final (non-progress) one last. */
  static List<JsonNode> ask(OutputStream out, BufferedReader in, String line) throws Exception {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    List<JsonNode> lines = new ArrayList<>();
    while (true) {
      JsonNode n = Wire.JSON.readTree(in.readLine());
      lines.add(n);
      if (!n.get("result").asText().equals("progress")) {
        return lines;
      }
    }
  }

  @Test
  void cliUsesTheAgentWhenItRunsAndPrintsTheSame() throws Exception {
    Path root = GenData.copyTo(tmp.resolve("root"), 4);
    Path backupDir = tmp.resolve("backup");
    Path yaml = tmp.resolve("haven.yaml");
    Files.writeString(yaml, "data_root: " + root + "\nbackup_dir: " + backupDir
        + "\napi_listen: 127.0.0.1:0\n");
    String slug;
    List<String> viaAgent = new ArrayList<>();
    try (RunningAgent agent = new RunningAgent(root, backupDir)) {
      slug = cli(yaml, 0, "backups", "new", "--name", "from the cli", "-f", "ssl").trim();
      assertEquals(slug, agent.daemon.daemon().jobs().all().get(0).toJson().get("reference").asText(),
          "the agent made the backup");
      viaAgent.add(cli(yaml, 0, "backups", "list"));
      viaAgent.add(cli(yaml, 0, "backups", "info", slug));
      viaAgent.add(cli(yaml, 0, "backups", "info", "--raw-json", slug));
      viaAgent.add(cli(yaml, 0, "backups", "restore", slug));
      viaAgent.add(cli(yaml, 4, "backups", "remove", "nosuch"));
      assertEquals(2, agent.daemon.daemon().jobs().all().size(), "the restore ran in the agent too");
    }
    assertFalse(Files.exists(backupDir.resolve(".haven.sock")), "the agent removed its socket");
    List<String> inProcess = new ArrayList<>();
    inProcess.add(cli(yaml, 0, "backups", "list"));
    inProcess.add(cli(yaml, 0, "backups", "info", slug));
    inProcess.add(cli(yaml, 0, "backups", "info", "--raw-json", slug));
    inProcess.add(cli(yaml, 0, "backups", "restore", slug));
    inProcess.add(cli(yaml, 4, "backups", "remove", "nosuch"));
    assertEquals(measuredMasked(inProcess), measuredMasked(viaAgent));
  }

  @Test
  void comparisonIgnoresOnlyTheFreeSpaceFigure() {
    String line = "info space: The restore needs 1.2 MB; %s is free on /data.\n";
    assertEquals(measuredMasked(List.of(String.format(line, "77.0 GB"))),
        measuredMasked(List.of(String.format(line, "77.1 GB"))));
    assertNotEquals(measuredMasked(List.of(String.format(line, "77.0 GB"))),
        measuredMasked(List.of(String.format(line, "77.0 GB").replace("1.2 MB", "1.3 MB"))),
        "what the restore needs is still compared");
  }

  /**
   * The preflight measures the disk's write rate and reads its free space each time, and other
   * builds on the machine change the free space in between; the rest must match to the letter.
   */
  static List<String> measuredMasked(List<String> outputs) {
    return outputs.stream().map(o -> o.replaceAll("at [0-9.]+ [kMG]?B/s", "at N MB/s")
        .replaceAll("in [0-9.]+ s\\)", "in N s)")
        .replaceAll("[0-9.]+ [kMGTP]?B is free", "N GB is free")).toList();
  }

  @Test
  void staleSocketFileIsReplacedAndIgnoredByTheCli() throws Exception {
    Path root = GenData.copyTo(tmp.resolve("root"), 4);
    Path backupDir = Files.createDirectories(tmp.resolve("backup"));
    Files.writeString(backupDir.resolve(".haven.sock"), "left by a killed agent");
    Path yaml = tmp.resolve("haven.yaml");
    Files.writeString(yaml, "data_root: " + root + "\nbackup_dir: " + backupDir + "\n");
    assertTrue(cli(yaml, 0, "backups", "list").startsWith("No backups in " + backupDir));
    try (RunningAgent agent = new RunningAgent(root, backupDir)) {
      assertTrue(AgentClient.listening(agent.config.socket()));
    }
  }

  /** Runs the CLI; stdout, then "err:" and stderr, after checking the exit code. */
  static String cli(Path yaml, int exit, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 2];
    all[0] = "--config";
    all[1] = yaml.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    int code = Main.execute(all, new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(exit, code, String.join(" ", args) + ": " + err);
    return err.toString().isEmpty() ? out.toString() : out + "err:" + err;
  }
}

package io.haven.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.haven.agent.Service;
import io.haven.archive.BackupArchive;
import io.haven.archive.Part;
import io.haven.cli.Main;
import io.haven.config.Config;
import io.haven.testing.GenData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One road for every front end: a backup the command line asks the running agent for and one
 * asked for over HTTP both take haven.yaml's {@code compression:} and {@code excludes:}, and the
 * command line's {@code -l} copy runs inside the agent's job, whose errors show a failed copy.
 * Before, the command line sent zstd whatever the config said and copied in its own process.
 */
class OneRoadTest {
  @TempDir Path tmp;

  @Test
  void theCommandLineThroughTheAgentAndHttpTakeTheConfigAndCopyInsideTheJob() throws Exception {
    Path root = GenData.copyTo(tmp.resolve("root"), 1);
    Files.createDirectories(root.resolve("share/skip"));
    Files.writeString(root.resolve("share/skip/big.bin"), "left out");
    Path backupDir = tmp.resolve("backup");
    Path yaml = tmp.resolve("haven.yaml");
    Path notADirectory = Files.writeString(tmp.resolve("usb"), "a file, no directory");
    Files.writeString(yaml, "data_root: " + root + "\nbackup_dir: " + backupDir
        + "\napi_listen: 127.0.0.1:0\ncompression: gzip\nexcludes: [\"share/skip/**\"]\n");
    Config config = Config.load(Optional.of(yaml), Map.of("HAVEN_API_TOKEN", RunningAgent.TOKEN),
        tmp);
    try (RunningAgent agent = new RunningAgent(config)) {
      assertEquals(0, cli(yaml, "locations", "add", "usb", notADirectory.toUri().toString(),
          "--option", "encrypt=false"));
      assertEquals(14, cli(yaml, "backups", "new", "--name", "from the cli", "-l", "usb"));
      JsonNode job = agent.daemon.daemon().jobs().all().get(0).toJson();
      String fromCli = job.get("reference").asText();
      assertEquals(Service.COPY_STAGE, job.get("errors").get(0).get("stage").asText(),
          "the copy ran in the agent's job: " + job);
      assertGzipWithoutTheExcluded(backupDir.resolve(fromCli + ".tar"));

      RunningAgent.Answer made = agent.post("/backups/new/full", "{\"name\":\"over http\"}");
      assertEquals(200, made.status(), made.body().toString());
      assertGzipWithoutTheExcluded(backupDir.resolve(made.data().get("slug").asText() + ".tar"));
    }
  }

  /**
   * {@code backups copy} runs in the agent too: the location it names is known only to the
   * agent's configuration, so the copy succeeds only where the agent did it. Before, the command
   * line copied in its own process, beside a running agent.
   */
  @Test
  void theCommandLinesCopyRunsInTheAgent() throws Exception {
    Path root = GenData.copyTo(tmp.resolve("root"), 1);
    Path backupDir = tmp.resolve("backup");
    Path usb = Files.createDirectories(tmp.resolve("usb"));
    Path agentYaml = tmp.resolve("agent.yaml");
    Files.writeString(agentYaml, "data_root: " + root + "\nbackup_dir: " + backupDir
        + "\napi_listen: 127.0.0.1:0\nlocations_file: " + tmp.resolve("agent-locations.yaml")
        + "\n");
    Path cliYaml = tmp.resolve("haven.yaml");
    Files.writeString(cliYaml, "data_root: " + root + "\nbackup_dir: " + backupDir + "\n");
    assertEquals(0, cli(agentYaml, "locations", "add", "usb", usb.toUri().toString(),
        "--option", "encrypt=false"));
    Config config = Config.load(Optional.of(agentYaml),
        Map.of("HAVEN_API_TOKEN", RunningAgent.TOKEN), tmp);
    try (RunningAgent agent = new RunningAgent(config)) {
      assertEquals(0, cli(cliYaml, "backups", "new", "--name", "to copy"));
      String slug = agent.daemon.daemon().jobs().all().get(0).toJson().get("reference").asText();
      assertEquals(0, cli(cliYaml, "backups", "copy", slug, "--to", "usb"));
      try (var files = Files.list(usb)) {
        assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith(slug)),
            "the agent copied the backup to its location");
      }
      assertEquals(0, cli(cliYaml, "backups", "copy", slug, "--to", "usb"), "already there");
      assertEquals(2, cli(cliYaml, "backups", "copy", slug, "--to", "nowhere"),
          "an unknown location is refused as in-process");
    }
  }

  private static void assertGzipWithoutTheExcluded(Path file) throws Exception {
    try (BackupArchive a = BackupArchive.open(file)) {
      for (Part p : a.parts()) {
        assertTrue(a.memberName(p).endsWith(".tar.gz"), a.memberName(p));
      }
      assertEquals(List.of("share/skip/**"),
          a.metadata().orElseThrow().haven().orElseThrow().excludes());
    }
  }

  private static int cli(Path yaml, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--config";
    all[1] = yaml.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return Main.execute(all, new PrintWriter(new StringWriter(), true),
        new PrintWriter(new StringWriter(), true));
  }
}

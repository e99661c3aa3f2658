package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haven.failure.ExitCode;
import io.haven.testing.Sysfs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup on a Yellow restored onto a Pi 4, through the command line. */
class PreflightCliTest {
  @TempDir Path tmp;
  String out;
  String err;

  int haven(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = Main.execute(args, new PrintWriter(o, true), new PrintWriter(e, true));
    out = o.toString();
    err = e.toString();
    return code;
  }

  Path config(String name, Path data, Path sys, String services) throws Exception {
    Path c = tmp.resolve(name + ".yaml");
    Files.writeString(c, "data_root: " + data + "\nbackup_dir: " + tmp.resolve("backup")
        + "\nsys_root: " + sys + "\n" + services);
    return c;
  }

  void write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  @Test
  void yellowBackupOntoAPi4WithoutRadiosIsRefusedUntilForced() throws Exception {
    Path yellowData = tmp.resolve("yellow-data");
    write(yellowData.resolve("config/configuration.yaml"), "recorder:\n  purge_keep_days: 5\n");
    write(yellowData.resolve("share/a.txt"), "a");
    Path yellow = config("yellow", yellowData, Sysfs.yellow(tmp.resolve("ysys"), null).root, "");
    assertEquals(0, haven("--config", yellow.toString(), "backups", "new", "--name", "y"), err);
    String slug = out.strip();

    Path events = tmp.resolve("events");
    Path piData = tmp.resolve("pi-data");
    write(piData.resolve("config/configuration.yaml"), "old: 1\n");
    Path pi = config("pi", piData, Sysfs.pi4(tmp.resolve("psys")).root, "services:\n"
        + "  homeassistant:\n    stop: echo stop >> " + events + "\n    start: echo start >> "
        + events + "\n    restart: echo restart >> " + events + "\n    timeout_seconds: 10\n");

    assertEquals(0, haven("--config", pi.toString(), "device", "--raw-json"), err);
    JsonNode device = new ObjectMapper().readTree(out);
    assertEquals("RASPBERRY_PI_4", device.at("/board/kind").asText());
    assertEquals("SD", device.at("/dataRoot/disk/kind").asText());

    assertEquals(ExitCode.PREFLIGHT, haven("--config", pi.toString(), "backups", "preflight",
        slug, "--raw-json"));
    JsonNode report = new ObjectMapper().readTree(out).path("data");
    assertEquals("blocking", report.at("/findings/0/severity").asText());
    assertTrue(report.at("/findings/0/message").asText()
        .startsWith("The zigbee+thread radio Home Assistant Yellow built-in radio"), out);

    assertEquals(ExitCode.PREFLIGHT, haven("--config", pi.toString(), "backups", "restore", slug));
    assertTrue(err.contains("Fix them and restore again, or restore anyway with --force."), err);
    assertEquals("old: 1\n", Files.readString(piData.resolve("config/configuration.yaml")));
    assertTrue(Files.notExists(events), "nothing was stopped");

    assertEquals(0, haven("--config", pi.toString(), "backups", "restore", slug, "--force"), err);
    assertTrue(err.startsWith("BLOCKING radio"), err);
    assertEquals("recorder:\n  purge_keep_days: 5\n",
        Files.readString(piData.resolve("config/configuration.yaml")));
    assertEquals(List.of("stop", "start", "restart"), Files.readAllLines(events));
  }

  @Test
  void estimateShowsPartsAndKeepDays() throws Exception {
    Path data = tmp.resolve("data");
    write(data.resolve("config/configuration.yaml"), "recorder:\n  purge_keep_days: 5\n");
    write(data.resolve("media/a.bin"), "x".repeat(5000));
    Path c = config("c", data, Sysfs.pi4(tmp.resolve("sys")).root, "");
    assertEquals(0, haven("--config", c.toString(), "backups", "estimate", "--raw-json"), err);
    JsonNode e = new ObjectMapper().readTree(out).path("data");
    assertEquals(5, e.path("purge_keep_days").asInt());
    assertEquals("media/a.bin", e.at("/largest_files/0/path").asText());
    assertEquals(5000 + 31, e.path("total_bytes").asLong());

    assertEquals(0, haven("--config", c.toString(), "backups", "estimate", "-f", "media"), err);
    assertTrue(out.startsWith("PART"), out);
    assertTrue(out.contains("recorder keeps 5 days"), out);
  }
}

package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haven.agent.BadRequest;
import io.haven.agent.NewBackup;
import io.haven.agent.Service;
import io.haven.archive.BackupArchive;
import io.haven.config.Config;
import io.haven.testing.GenData;
import io.haven.tree.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's excludes below the top-level folders (a Frigate folder, logs): from the config's
 * {@code excludes:} and {@code --exclude}, left out of the backup, shown by the estimate and
 * recorded in extra.haven, the same through the service as the HTTP API calls it.
 */
class ExcludesTest {
  @TempDir Path tmp;

  private Cli cli(String excludes) throws Exception {
    Path root = GenData.copyTo(tmp.resolve("root"), 1);
    Files.createDirectories(root.resolve("media/frigate/clips"));
    Files.write(root.resolve("media/frigate/clips/front.mp4"), new byte[300_000]);
    Files.writeString(root.resolve("media/keep.jpg"), "keep");
    Files.createDirectories(root.resolve("share/app"));
    Files.writeString(root.resolve("share/app/debug.log"), "noise");
    Files.writeString(root.resolve("share/app/data.txt"), "data");
    Cli cli = new Cli(tmp, root);
    Files.writeString(cli.config, Files.readString(cli.config) + excludes);
    return cli;
  }

  @Test
  void configAndCommandLineExcludesAreLeftOutShownAndRecorded() throws Exception {
    Cli cli = cli("excludes: [\"media/frigate/**\"]\n");

    Cli.Run plain = cli.run("backups", "estimate", "--raw-json").ok();
    Cli.Run estimate = cli.run("backups", "estimate", "--raw-json", "--exclude", "*.log").ok();
    JsonNode e = new ObjectMapper().readTree(estimate.out()).path("data");
    JsonNode p = new ObjectMapper().readTree(plain.out()).path("data");
    assertEquals(List.of("media/frigate/**", "*.log"), strings(e.path("excludes")));
    assertEquals(p.path("total_bytes").asLong() - "noise".length(),
        e.path("total_bytes").asLong(), "the estimate leaves out what the backup will");
    assertEquals(2, e.path("excluded_files").asLong());
    assertEquals(300_000 + "noise".length(), e.path("excluded_bytes").asLong());
    String shown = cli.run("backups", "estimate", "--exclude", "*.log").ok().out();
    assertTrue(shown.contains("excludes:      media/frigate/**, *.log - leaves out 2 files, 300.0 kB"),
        shown);

    String slug = cli.run("backups", "new", "--exclude", "*.log").ok().out().trim();
    String files = cli.run("backups", "ls", slug).ok().out();
    assertFalse(files.contains("front.mp4") || files.contains("debug.log"), files);
    assertTrue(files.contains("keep.jpg") && files.contains("data.txt"), files);
    try (BackupArchive a = BackupArchive.open(cli.backupDir.resolve(slug + ".tar"))) {
      assertEquals(List.of("media/frigate/**", "*.log"),
          a.metadata().orElseThrow().haven().orElseThrow().excludes());
    }
    String info = cli.run("backups", "info", slug).ok().out();
    assertTrue(info.contains("excludes:      media/frigate/**, *.log"), info);
  }

  @Test
  void aBadGlobIsTheUsersMistake() throws Exception {
    Cli cli = cli("");
    Cli.Run absolute = cli.run("backups", "new", "--exclude", "/media/frigate/**");
    assertEquals(2, absolute.code(), absolute.err());
    assertTrue(absolute.err().contains("exclude '/media/frigate/**' starts with '/': write it"
        + " relative to the data root, for example media/frigate/**"), absolute.err());
    assertTrue(!Files.exists(cli.backupDir) || Files.list(cli.backupDir)
        .noneMatch(f -> f.toString().endsWith(".tar")), "no backup made");

    Files.writeString(cli.config, Files.readString(cli.config) + "excludes: [\"media/../x\"]\n");
    Cli.Run config = cli.run("backups", "estimate");
    assertEquals(7, config.code(), config.err());
    assertTrue(config.err().contains("excludes: exclude 'media/../x' has an empty, '.' or '..'"
        + " segment"), config.err());
  }

  @Test
  void theServiceAppliesExcludesAsTheHttpApiAsksForThem() throws Exception {
    Cli cli = cli("");
    Service service = new Service(Config.load(Optional.of(cli.config), java.util.Map.of(), tmp),
        Clock.systemUTC(), "test");
    NewBackup asked = new NewBackup("", List.of(), Optional.empty(), Optional.empty(),
        Optional.empty(), false, false, Optional.empty(), List.of(), List.of("media/frigate"));
    String slug = service.create(asked, Progress.NONE).slug();
    String files = cli.run("backups", "ls", slug).ok().out();
    assertFalse(files.contains("front.mp4"), files);

    NewBackup bad = new NewBackup("", List.of(), Optional.empty(), Optional.empty(),
        Optional.empty(), false, false, Optional.empty(), List.of(), List.of("../etc"));
    BadRequest e = assertThrows(BadRequest.class, () -> service.startBackup(bad, Progress.NONE));
    assertTrue(e.getMessage().startsWith("The exclude pattern is not valid: exclude '../etc'"),
        e.getMessage());
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}

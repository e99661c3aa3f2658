package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.testing.GenData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config written with the older name of a key keeps working, and the command says so once. */
class OldConfigKeyTest {
  @TempDir Path tmp;

  @Test
  void theOlderLocationsKeyWarnsOnceAndStillWorks() throws Exception {
    Cli cli = new Cli(tmp, GenData.copyTo(tmp.resolve("root"), 1));
    Files.writeString(cli.config, Files.readString(cli.config)
        + "locations:\n  nas:\n    retention: {copies: 14}\n");
    Cli.Run made = cli.run("backups", "new", "--use-key").ok();
    String warning = "warning: " + cli.config + ": 'locations:' is now called"
        + " 'location_overrides:'";
    assertEquals(1, made.err().split(java.util.regex.Pattern.quote(warning), -1).length - 1,
        made.err());

    Files.writeString(cli.config, Files.readString(cli.config)
        .replace("locations:\n", "location_overrides:\n"));
    Cli.Run renamed = cli.run("backups").ok();
    assertTrue(!renamed.err().contains("warning"), renamed.err());
  }
}

package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listening beyond loopback is refused unless the config says it is meant, then warned of. */
class RemoteListenCliTest {
  @TempDir Path dir;

  @Test
  void anApiOnEveryAddressIsRefusedWithoutApiAllowRemote() throws Exception {
    Cli cli = new Cli(dir, Files.createDirectories(dir.resolve("data")));
    Files.writeString(cli.config, "api_listen: 0.0.0.0:8470\n",
        java.nio.file.StandardOpenOption.APPEND);

    Cli.Run refused = cli.run("backups", "list");
    assertEquals(7, refused.code(), refused.out());
    assertTrue(refused.err().contains("api_listen 0.0.0.0:8470 is not a loopback address, so"
        + " other machines could reach the API. Listen on 127.0.0.1, or set api_allow_remote:"
        + " true in the config to mean it."), refused.err());

    Files.writeString(cli.config, "api_allow_remote: true\n",
        java.nio.file.StandardOpenOption.APPEND);
    cli.run("backups", "list").ok();
    Config config = Config.load(Optional.of(cli.config), Map.of(), dir);
    assertTrue(config.agent().remoteWarning().orElseThrow().startsWith("the API listens on"
        + " 0.0.0.0:8470, which other machines may reach"));
    assertEquals(Optional.empty(), Config.defaults(dir).agent().remoteWarning());
  }
}

package io.haven.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigAgentKeysTest {
  @TempDir Path tmp;

  @Test
  void agentDefaultsToLoopbackWithTokenAndSocketInTheBackupDir() throws Exception {
    Config c = Config.load(Optional.empty(), Map.of("HAVEN_CONFIG", ""), tmp);
    assertEquals("127.0.0.1", c.agent().listenHost());
    assertEquals(Config.Agent.DEFAULT_PORT, c.agent().listenPort());
    assertEquals(c.backupDir().resolve(".haven.sock"), c.socket());
    assertEquals(c.backupDir().resolve(".haven-api-token"), c.tokenFile());
  }

  @Test
  void fileKeysAndEnvironmentSetListenTokenAndSocket() throws Exception {
    Path yaml = tmp.resolve("haven.yaml");
    Files.writeString(yaml, "api_listen: 0.0.0.0:9000\napi_allow_remote: true\n"
        + "api_token_file: secret/token\nsocket: run/haven.sock\n");
    Config c = Config.load(Optional.of(yaml), Map.of(), tmp);
    assertEquals("0.0.0.0", c.agent().listenHost());
    assertEquals(9000, c.agent().listenPort());
    assertEquals(tmp.resolve("secret/token"), c.tokenFile());
    assertEquals(tmp.resolve("run/haven.sock"), c.socket());

    Config e = Config.load(Optional.of(yaml), Map.of("HAVEN_API_LISTEN", "127.0.0.1:0",
        "HAVEN_API_TOKEN", "a-long-enough-token", "HAVEN_SOCKET", "other.sock"), tmp);
    assertEquals(0, e.agent().listenPort());
    assertEquals(Optional.of("a-long-enough-token"), e.agent().token());
    assertEquals(tmp.resolve("other.sock"), e.socket());
    assertFalse(e.toString().contains("a-long-enough-token"), "the token is never printed");
  }

  @Test
  void unknownKeysAndBadListenAddressesAreRefusedByName() throws Exception {
    Path yaml = tmp.resolve("haven.yaml");
    Files.writeString(yaml, "api_lisen: 127.0.0.1:1\n");
    ConfigException unknown = assertThrows(ConfigException.class,
        () -> Config.load(Optional.of(yaml), Map.of(), tmp));
    assertTrue(unknown.getMessage().startsWith("Unknown key 'api_lisen'"), unknown.getMessage());
    ConfigException bad = assertThrows(ConfigException.class, () -> Config.load(Optional.empty(),
        Map.of("HAVEN_CONFIG", "", "HAVEN_API_LISTEN", "localhost"), tmp));
    assertTrue(bad.getMessage().contains("must be host:port"), bad.getMessage());
  }
}

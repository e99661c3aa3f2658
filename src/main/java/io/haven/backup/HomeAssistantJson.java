package io.haven.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code ./homeassistant.json} of a Home Assistant part: the Supervisor's settings for Home
 * Assistant. Haven has no Supervisor tokens to keep, so it writes the settings' defaults, which
 * the Supervisor accepts on restore.
 */
final class HomeAssistantJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HomeAssistantJson() {}

  static byte[] of(String version, boolean excludeDatabase) {
    ObjectNode o = JSON.createObjectNode();
    o.put("version", version);
    o.put("boot", true);
    o.put("port", 8123);
    o.put("ssl", false);
    o.put("watchdog", true);
    o.putNull("audio_input");
    o.putNull("audio_output");
    o.put("backups_exclude_database", excludeDatabase);
    return o.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}

package io.haven.mqtt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The retained discovery configs that make Home Assistant show one device "Haven" with its
 * sensors and buttons. Every entity shares the device block and the availability topic, so the
 * whole device turns unavailable when the last will fires.
 */
final class Discovery {
  static final String CREATE_FULL_BACKUP = "create_full_backup";
  static final String VERIFY_LATEST_BACKUP = "verify_latest_backup";

  private final ObjectMapper json = new ObjectMapper();
  private final MqttConfig config;
  private final Topics topics;
  private final String version;

  Discovery(MqttConfig config, Topics topics, String version) {
    this.config = config;
    this.topics = topics;
    this.version = version;
  }

  /** Discovery topic to JSON payload, in a stable order. */
  Map<String, String> configs() {
    Map<String, String> out = new LinkedHashMap<>();
    sensor(out, "state", "State", "mdi:backup-restore", e -> {
      e.put("device_class", "enum");
      ArrayNode options = e.putArray("options");
      for (HavenState.Activity a : HavenState.Activity.values()) {
        options.add(a.label());
      }
    });
    sensor(out, "last_backup", "Last backup", null, timestamp());
    sensor(out, "last_backup_name", "Last backup name", "mdi:archive", e -> { });
    sensor(out, "last_backup_size", "Last backup size", null, bytes());
    sensor(out, "last_successful_backup", "Last successful backup", null, timestamp());
    sensor(out, "next_backup", "Next scheduled backup", null, timestamp());
    sensor(out, "backups", "Backups", "mdi:archive-multiple",
        e -> e.put("state_class", "measurement"));
    sensor(out, "free_space", "Backup dir free space", null, bytes().andThen(
        e -> e.put("entity_category", "diagnostic")));
    sensor(out, "progress", "Job progress", "mdi:progress-clock", e -> {
      e.put("unit_of_measurement", "%");
      e.put("state_class", "measurement");
    });
    ObjectNode stale = entity("binary_sensor", "backup_stale", "Backup stale", null);
    stale.put("device_class", "problem");
    stale.put("state_topic", topics.state());
    stale.put("value_template", "{{ value_json.backup_stale }}");
    put(out, "binary_sensor", "backup_stale", stale);
    button(out, CREATE_FULL_BACKUP, "Create full backup", "mdi:content-save");
    button(out, VERIFY_LATEST_BACKUP, "Verify latest backup", "mdi:check-decagram");
    return out;
  }

  /** The command object ids the buttons publish to. */
  static List<String> commands() {
    return List.of(CREATE_FULL_BACKUP, VERIFY_LATEST_BACKUP);
  }

  private void sensor(Map<String, String> out, String objectId, String name, String icon,
      Consumer<ObjectNode> extra) {
    ObjectNode e = entity("sensor", objectId, name, icon);
    e.put("state_topic", topics.state());
    e.put("value_template", "{{ value_json." + objectId + " }}");
    extra.accept(e);
    put(out, "sensor", objectId, e);
  }

  private void button(Map<String, String> out, String objectId, String name, String icon) {
    ObjectNode e = entity("button", objectId, name, icon);
    e.put("command_topic", topics.command(objectId));
    e.put("payload_press", Topics.PRESS);
    put(out, "button", objectId, e);
  }

  private ObjectNode entity(String component, String objectId, String name, String icon) {
    ObjectNode e = json.createObjectNode();
    e.put("name", name);
    e.put("unique_id", config.nodeId() + "_" + objectId);
    e.put("has_entity_name", true);
    if (icon != null) {
      e.put("icon", icon);
    }
    e.putArray("availability").addObject().put("topic", topics.availability());
    e.put("qos", 1);
    e.set("device", device());
    ObjectNode origin = e.putObject("origin");
    origin.put("name", "Haven");
    origin.put("sw_version", version);
    return e;
  }

  private ObjectNode device() {
    ObjectNode d = json.createObjectNode();
    d.putArray("identifiers").add("haven_" + config.nodeId());
    d.put("name", "Haven");
    d.put("model", "Haven backup agent");
    d.put("manufacturer", "Haven");
    d.put("sw_version", version);
    config.configurationUrl().ifPresent(u -> d.put("configuration_url", u.toString()));
    return d;
  }

  private static Consumer<ObjectNode> timestamp() {
    return e -> e.put("device_class", "timestamp");
  }

  private static Consumer<ObjectNode> bytes() {
    return e -> {
      e.put("device_class", "data_size");
      e.put("unit_of_measurement", "B");
      e.put("state_class", "measurement");
    };
  }

  private void put(Map<String, String> out, String component, String objectId, ObjectNode e) {
    out.put(topics.discovery(component, objectId), e.toString());
  }
}

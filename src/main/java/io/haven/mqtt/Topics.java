package io.haven.mqtt;

/** Every topic Haven uses, derived from the config in one place. */
record Topics(String discoveryPrefix, String base, String nodeId) {
  static final String ONLINE = "online";
  static final String OFFLINE = "offline";
  static final String PRESS = "PRESS";

  static Topics of(MqttConfig c) {
    return new Topics(c.discoveryPrefix(), c.baseTopic(), c.nodeId());
  }

  /** Retained "online"/"offline"; "offline" is also the last will. */
  String availability() {
    return base + "/availability";
  }

  /** Retained JSON with every sensor's value; the entities pick theirs with a value_template. */
  String state() {
    return base + "/state";
  }

  String command(String objectId) {
    return base + "/command/" + objectId;
  }

  String commandFilter() {
    return base + "/command/+";
  }

  /** The command's object id, or the empty string when {@code topic} is not a command topic. */
  String commandOf(String topic) {
    String prefix = base + "/command/";
    return topic.startsWith(prefix) ? topic.substring(prefix.length()) : "";
  }

  /** Home Assistant's {@code <prefix>/<component>/<node_id>/<object_id>/config}. */
  String discovery(String component, String objectId) {
    return discoveryPrefix + "/" + component + "/" + nodeId + "/" + objectId + "/config";
  }
}

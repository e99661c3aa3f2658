package io.haven.device;

import java.util.Objects;

/**
 * A radio stick (or on-board radio) that home automation talks to. {@code protocol} is "zigbee",
 * "zwave", "thread", "zigbee+thread" (multiprotocol), "zigbee+zwave" (a combo stick) or "unknown
 * serial" for a USB serial adapter that could be anything. {@code vidPid}, {@code serial},
 * {@code port} and {@code byIdPath} are "" when unknown (an on-board radio has no USB ids).
 */
public record Radio(
    String protocol, String model, String vidPid, String serial, String port, String byIdPath) {
  public static final String UNKNOWN_SERIAL = "unknown serial";

  public Radio {
    Objects.requireNonNull(vidPid, "vidPid");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(byIdPath, "byIdPath");
    if (protocol == null || protocol.isBlank()) {
      throw new IllegalArgumentException("radio protocol is blank");
    }
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("radio model is blank");
    }
  }

  /** True when both can carry a common protocol, so one can take over the other's network. */
  boolean sharesProtocolWith(Radio other) {
    if (protocol.equals(UNKNOWN_SERIAL) || other.protocol.equals(UNKNOWN_SERIAL)) {
      return false;
    }
    for (String mine : protocol.split("\\+")) {
      for (String theirs : other.protocol.split("\\+")) {
        if (mine.equals(theirs)) {
          return true;
        }
      }
    }
    return false;
  }

  /** True when this is probably the same stick: same USB serial number, or same by-id name. */
  boolean sameStickAs(Radio other) {
    boolean serials = !serial.isEmpty() && serial.equals(other.serial) && vidPid.equals(other.vidPid);
    boolean byId = !byIdPath.isEmpty() && byIdPath.equals(other.byIdPath);
    boolean onBoard = vidPid.isEmpty() && other.vidPid.isEmpty() && model.equals(other.model);
    return serials || byId || onBoard;
  }
}

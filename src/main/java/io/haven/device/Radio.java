package io.haven.device;

import java.util.Objects;

/**
 * A radio (USB stick, one interface of a combo stick, or a radio on the board or its GPIO header)
 * that home automation talks to. {@code protocol} is "zigbee", "zwave", "thread", "zigbee+thread"
 * (multiprotocol), "zigbee+zwave" (a combo stick whose interfaces could not be told apart) or
 * "unknown serial" for a USB serial adapter that could be anything. {@code vidPid}, {@code serial},
 * {@code port} and {@code byIdPath} are "" when unknown (a radio that is not on USB has no USB
 * ids). {@code recognisedBy} says how Haven knew it ("USB 1cf1:0030", "device tree: ..."); "" for
 * a radio read back from an older backup.
 */
public record Radio(String protocol, String model, String vidPid, String serial, String port,
    String byIdPath, String recognisedBy) {
  public static final String UNKNOWN_SERIAL = "unknown serial";

  public Radio {
    Objects.requireNonNull(vidPid, "vidPid");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(byIdPath, "byIdPath");
    Objects.requireNonNull(recognisedBy, "recognisedBy");
    if (protocol == null || protocol.isBlank()) {
      throw new IllegalArgumentException("radio protocol is blank");
    }
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("radio model is blank");
    }
  }

  /** A radio as a backup records it, without how it was recognised. */
  public Radio(String protocol, String model, String vidPid, String serial, String port,
      String byIdPath) {
    this(protocol, model, vidPid, serial, port, byIdPath, "");
  }

  /** True for a radio on USB, which a user can plug in; false for one on the board or GPIO. */
  public boolean onUsb() {
    return !vidPid.isEmpty();
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

  /**
   * True when this is probably the same radio: same by-id name, or same USB serial number and a
   * protocol in common (the two interfaces of a combo stick share one serial number but not a
   * protocol), or the same on-board model.
   */
  boolean sameStickAs(Radio other) {
    boolean sameProtocol = protocol.equals(other.protocol) || sharesProtocolWith(other);
    boolean serials = !serial.isEmpty() && serial.equals(other.serial) && vidPid.equals(other.vidPid)
        && sameProtocol;
    boolean byId = !byIdPath.isEmpty() && byIdPath.equals(other.byIdPath);
    boolean onBoard = !onUsb() && !other.onUsb() && model.equals(other.model);
    return serials || byId || onBoard;
  }
}

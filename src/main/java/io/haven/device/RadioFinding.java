package io.haven.device;

/**
 * A difference between the radios a backup was made with and the radios attached now, found by
 * {@link UsbRadios#compare}. Each says what a user must do before home automation works again.
 */
public sealed interface RadioFinding
    permits RadioFinding.Missing,
        RadioFinding.ModelChanged,
        RadioFinding.PortChanged,
        RadioFinding.Added {

  /** What to tell the user. */
  String advice();

  /** A radio the backup used has no counterpart now. */
  record Missing(Radio before) implements RadioFinding {
    @Override
    public String advice() {
      return "The " + before.protocol() + " radio " + before.model() + " (" + where(before)
          + ") is not attached. " + (before.onUsb() ? "Plug it in" : "Fit it and enable its UART")
          + " before restoring, or its devices will be unavailable.";
    }
  }

  /** Another model now carries the protocol: the network must be migrated to the new radio. */
  record ModelChanged(Radio before, Radio now) implements RadioFinding {
    @Override
    public String advice() {
      return "The " + before.protocol() + " radio was " + before.model() + " and is now "
          + now.model() + ". Migrate the network to the new radio (ZHA/Zigbee2MQTT/Z-Wave JS"
          + " offer this) after the restore.";
    }
  }

  /** The same radio (or the same model) is reached through another path. */
  record PortChanged(Radio before, Radio now) implements RadioFinding {
    @Override
    public String advice() {
      return before.model() + " moved from " + where(before) + " to " + where(now)
          + ". Update the integration's serial port after the restore.";
    }
  }

  /** A known radio is attached now that the backup did not use. */
  record Added(Radio now) implements RadioFinding {
    @Override
    public String advice() {
      return "A " + now.protocol() + " radio " + now.model() + " (" + where(now)
          + ") is attached that the backup did not use; nothing to do unless it should replace one.";
    }
  }

  private static String where(Radio radio) {
    return radio.byIdPath().isEmpty() ? radio.port() : radio.byIdPath();
  }
}

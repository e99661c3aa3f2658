package io.haven.device;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The known radios of {@code radios.tsv}: USB ids, the interface (for combo sticks) and a string to
 * tell same-chip sticks apart.
 */
final class RadioTable {
  private static final String RESOURCE = "radios.tsv";

  /**
   * One row: an interface of a device matches when the ids are equal, its number is {@code iface}
   * ("*" for any) and the manufacturer, product or interface string contains {@code text}.
   */
  record Row(String vidPid, String iface, String text, String protocol, String model) {
    boolean matches(UsbDevice device, UsbInterface port) {
      if (!device.vidPid().equals(vidPid)) {
        return false;
      }
      if (!iface.equals("*") && !iface.equals(port.number())) {
        return false;
      }
      String strings = (device.manufacturer() + " " + device.product() + " " + port.description())
          .toLowerCase(Locale.ROOT);
      return text.equals("*") || strings.contains(text.toLowerCase(Locale.ROOT));
    }

    /** "USB 10c4:8a2a interface 01, named ZigBee": what made this row match, for a user. */
    String reason(UsbInterface port) {
      return "USB " + vidPid + (port.number().isEmpty() ? "" : " interface " + port.number())
          + (text.equals("*") ? "" : ", named " + text);
    }
  }

  /** What a device without a serial port is matched as: no interface, no port. */
  private static final UsbInterface NO_PORT = new UsbInterface("", "", "", "");

  private final List<Row> rows;

  RadioTable(List<Row> rows) {
    this.rows = List.copyOf(rows);
  }

  static RadioTable load() {
    try (InputStream in = RadioTable.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the jar: the build is broken");
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + RESOURCE, e);
    }
  }

  static RadioTable parse(BufferedReader in) throws IOException {
    List<Row> rows = new ArrayList<>();
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] cols = line.split("\t");
      if (cols.length != 5) {
        throw new IOException(RESOURCE + ": expected 5 tab-separated columns in: " + line);
      }
      rows.add(new Row(cols[0], cols[1], cols[2], cols[3], cols[4]));
    }
    return new RadioTable(rows);
  }

  /**
   * The radios this USB device holds: one per interface with a serial port, by the first row that
   * matches it; one without a port when the device has no serial port (its driver is not loaded).
   * Empty for other USB devices.
   */
  List<Radio> match(UsbDevice device) {
    List<UsbInterface> ports = device.serialPorts().isEmpty() ? List.of(NO_PORT)
        : device.serialPorts();
    List<Radio> radios = new ArrayList<>();
    for (UsbInterface port : ports) {
      match(device, port).ifPresent(radios::add);
    }
    return radios;
  }

  private Optional<Radio> match(UsbDevice device, UsbInterface port) {
    return rows.stream()
        .filter(row -> row.matches(device, port))
        .findFirst()
        .map(row -> new Radio(row.protocol(), row.model(), device.vidPid(), device.serial(),
            port.port(), port.byIdPath(), row.reason(port)));
  }
}

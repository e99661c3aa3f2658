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

/** The known radios of {@code radios.tsv}: USB ids plus a string to tell same-chip sticks apart. */
final class RadioTable {
  private static final String RESOURCE = "radios.tsv";

  /** One row: a device matches when its ids are equal and its strings contain {@code text}. */
  record Row(String vidPid, String text, String protocol, String model) {
    boolean matches(UsbDevice device) {
      if (!device.vidPid().equals(vidPid)) {
        return false;
      }
      String strings = (device.manufacturer() + " " + device.product()).toLowerCase(Locale.ROOT);
      return text.equals("*") || strings.contains(text.toLowerCase(Locale.ROOT));
    }
  }

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
      if (cols.length != 4) {
        throw new IOException(RESOURCE + ": expected 4 tab-separated columns in: " + line);
      }
      rows.add(new Row(cols[0], cols[1], cols[2], cols[3]));
    }
    return new RadioTable(rows);
  }

  /** The radio this USB device is, by the first matching row; empty for other USB devices. */
  Optional<Radio> match(UsbDevice device) {
    return rows.stream()
        .filter(row -> row.matches(device))
        .findFirst()
        .map(row -> new Radio(row.protocol(), row.model(), device.vidPid(), device.serial(),
            device.port(), device.byIdPath()));
  }
}

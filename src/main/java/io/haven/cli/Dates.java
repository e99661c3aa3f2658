package io.haven.cli;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Times as a table shows them: this device's time zone, named, so a backup made at 03:00 UTC is
 * not read as 03:00 local. backup.json holds ISO 8601 with an offset, as Home Assistant writes it.
 */
final class Dates {
  /** Minutes and the zone's offset: "2026-12-07 03:00 +01:00". */
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx").withZone(ZoneId.systemDefault());

  /** The width of {@link #column}'s text. */
  static final int WIDTH = 23;

  private Dates() {}

  /** backup.json's {@code date} for a DATE column; a date Haven cannot read is shown as it is. */
  static String column(String isoDate) {
    try {
      return TIME.format(OffsetDateTime.parse(isoDate));
    } catch (DateTimeParseException e) {
      return isoDate;
    }
  }
}

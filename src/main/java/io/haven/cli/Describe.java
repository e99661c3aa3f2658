package io.haven.cli;

import io.haven.archive.BackupMetadata;
import io.haven.failure.Sizes;
import java.io.PrintWriter;

/** backup.json's facts as a person reads them. */
final class Describe {
  private Describe() {}

  static void backup(BackupMetadata m, long size, String file, PrintWriter out) {
    out.println("slug:          " + m.slug());
    out.println("name:          " + m.name());
    out.println("date:          " + m.date());
    out.println("type:          " + m.type());
    out.println("size:          " + Sizes.human(size));
    out.println("file:          " + file);
    out.println("protected:     " + m.isProtected());
    out.println("compressed:    " + m.compressed());
    out.println("homeassistant: " + m.homeassistant().map(h -> h.version()
        + (h.excludeDatabase() ? " (database excluded)" : "")).orElse("not included"));
    out.println("add-ons:       " + (m.addons().isEmpty() ? "none" : String.join(", ",
        m.addons().stream().map(a -> a.slug() + " " + a.version()).toList())));
    out.println("folders:       " + (m.folders().isEmpty() ? "none"
        : String.join(", ", m.folders())));
    m.haven().ifPresent(h -> {
      out.println("written by:    Haven " + h.havenVersion() + ", " + h.compression() + ", "
          + h.encryption());
      out.println("excludes:      " + (h.excludes().isEmpty() ? "none of your own"
          : String.join(", ", h.excludes())));
      h.parts().forEach((part, f) -> out.printf("  %-16s %8d files %10s  %s %s%n", part,
          f.files(), Sizes.human(f.fileBytes()), f.keyed() ? "hmac-sha256" : "sha256",
          f.sha256().substring(0, 16)));
    });
  }
}

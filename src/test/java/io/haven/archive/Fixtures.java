package io.haven.archive;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real Home Assistant archives in ../shared/interop/fixtures. */
final class Fixtures {
  private Fixtures() {}

  static Path shared() {
    Path p = Path.of(System.getProperty("haven.shared", "../shared")).toAbsolutePath().normalize();
    if (!Files.isDirectory(p.resolve("interop/fixtures"))) {
      throw new IllegalStateException("fixtures not found under " + p
          + ": the shared folder must sit beside the checkout");
    }
    return p;
  }

  static Path fixture(String name) {
    return shared().resolve("interop/fixtures").resolve(name);
  }
}

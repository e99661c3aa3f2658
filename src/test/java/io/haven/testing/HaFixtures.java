package io.haven.testing;

import java.nio.file.Path;

/**
 * The real Home Assistant archives kept in {@code src/test/resources/fixtures} (made by Home
 * Assistant's own tools; where each came from and what it must give is in the README there).
 */
public final class HaFixtures {
  private HaFixtures() {}

  /** The folder of the fixtures, found from the test classpath so any working directory works. */
  public static Path dir() {
    String configured = System.getProperty("haven.fixtures");
    if (configured != null) {
      return Path.of(configured);
    }
    return Path.of("src", "test", "resources", "fixtures").toAbsolutePath();
  }

  public static Path path(String name) {
    return dir().resolve(name);
  }
}

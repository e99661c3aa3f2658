package io.haven.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** io.haven.device sits at the bottom: it may use io.haven.failure and nothing else of Haven's. */
class DevicePackageDependenciesTest {
  @Test
  void deviceImportsNoHigherPackage() throws IOException {
    Path sources = Path.of("src/main/java/io/haven/device");
    List<String> upward = new ArrayList<>();
    try (Stream<Path> files = Files.list(sources)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        try (Stream<String> lines = Files.lines(file)) {
          lines.filter(l -> l.startsWith("import io.haven."))
              .filter(l -> !l.startsWith("import io.haven.device.") && !l.startsWith("import io.haven.failure."))
              .forEach(l -> upward.add(file.getFileName() + ": " + l));
        }
      }
    }
    assertEquals(List.of(), upward);
  }
}

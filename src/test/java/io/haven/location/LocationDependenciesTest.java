package io.haven.location;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Where archives live, and nothing about what they hold: io.haven.location may use only the
 * shared failure vocabulary from Haven, never the archive, backup, store or device packages.
 */
class LocationDependenciesTest {
  private static final Pattern HAVEN_IMPORT = Pattern.compile(
      "^import\\s+(?:static\\s+)?(io\\.haven\\.(\\w+))", Pattern.MULTILINE);

  @Test
  void locationImportsNoOtherHavenPackageThanFailure() throws IOException {
    List<String> wrong = new ArrayList<>();
    try (Stream<Path> sources = Files.list(Path.of("src/main/java/io/haven/location"))) {
      for (Path source : sources.toList()) {
        Matcher m = HAVEN_IMPORT.matcher(Files.readString(source));
        while (m.find()) {
          if (!m.group(2).equals("failure") && !m.group(2).equals("location")) {
            wrong.add(source.getFileName() + " imports " + m.group(1));
          }
        }
      }
    }
    assertEquals(List.of(), wrong);
  }
}

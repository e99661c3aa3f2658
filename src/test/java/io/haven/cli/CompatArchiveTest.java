package io.haven.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haven.testing.GenData;
import io.haven.testing.TreeSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Home Assistant reads what Haven writes: {@code --compat} archives of a gendata root are opened
 * by an independent reader (ha_reader.py, the Supervisor's rules, not Haven's code) and give back
 * the same tree.
 */
class CompatArchiveTest {
  static final int SCALE_MB = 4;

  /** Left out on purpose (Home Assistant's excludes) or not comparable byte for byte. */
  static final Predicate<String> NOT_BACKED_UP = rel ->
      rel.equals("config/home-assistant.log")
          || rel.equals("config/home-assistant_v2.db-shm")
          || rel.startsWith("config/tts/")
          || rel.startsWith("config/__pycache__/")
          || rel.equals("config/home-assistant_v2.db") // a consistent snapshot, not a byte copy
          || rel.startsWith(".haven-")
          || rel.equals("addons") || rel.equals("addons/data");

  @TempDir Path tmp;

  @BeforeAll
  static void needsPython() throws Exception {
    Cli.needPythonCrypto();
  }

  @ParameterizedTest(name = "gzip, {0}")
  @ValueSource(strings = {"none", "v2", "v3"})
  void homeAssistantsReaderGetsTheSameTree(String encryption) throws Exception {
    Path source = GenData.copyTo(tmp.resolve("source"), SCALE_MB);
    Cli cli = new Cli(tmp, source);
    List<String> args = new ArrayList<>(List.of("backups", "new", "--compat", "--name", "compat"));
    List<String> password = new ArrayList<>();
    if (!encryption.equals("none")) {
      args.addAll(List.of("--password", "emergency-kit-key", "--encryption", encryption));
      password.addAll(List.of("--password", "emergency-kit-key"));
    }
    String slug = cli.run(args.toArray(String[]::new)).ok().out().trim();
    Path archive = cli.backupDir.resolve(slug + ".tar");

    Path restored = tmp.resolve("restored");
    List<String> extract = new ArrayList<>(List.of("extract", archive.toString(),
        restored.toString()));
    extract.addAll(password);
    JsonNode result = new ObjectMapper().readTree(Cli.reader(extract.toArray(String[]::new)));
    assertEquals(slug, result.get("slug").asText());
    result.get("parts").forEach(v -> assertEquals(encryption, v.asText()));
    assertEquals(7, result.get("parts").size());

    TreeSnapshot.assertSame(TreeSnapshot.of(source, NOT_BACKED_UP),
        TreeSnapshot.of(restored, NOT_BACKED_UP), "tree as Home Assistant restores it");
    assertTrue(Files.size(restored.resolve("config/home-assistant_v2.db")) > 0);
  }
}

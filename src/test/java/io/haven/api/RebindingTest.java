package io.haven.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.testing.HaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24's DNS rebinding, in real Chromium: a page at {@code http://rebind.test:PORT}, whose
 * name the browser resolves to 127.0.0.1 as a rebinding attacker's would, tries the onboarding
 * calls of a device that is not set up. Before, it uploaded a backup and restored it in full.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RebindingTest {
  @TempDir Path tmp;

  private static final String FETCH = "const done = arguments[arguments.length - 1];"
      + " fetch(arguments[0], {method: arguments[1], headers: {'X-Haven-Request': '1'},"
      + " body: arguments[1] === 'GET' ? undefined : arguments[2]})"
      + ".then(r => r.text().then(t => done(r.status + ' ' + t)), e => done('failed ' + e));";

  private static String call(Browser b, String path, String method, String body) {
    return (String) b.driver.executeAsyncScript(FETCH, path, method, body);
  }

  @Test
  void aPageAtARebindingNameGetsNothingFromOnboarding() throws Exception {
    Path backupDir = tmp.resolve("backup");
    try (RunningAgent agent = new RunningAgent(Files.createDirectories(tmp.resolve("new-device")),
        backupDir);
        Browser b = new Browser(tmp.resolve("downloads"), tmp.resolve("shots"))) {
      int port = agent.daemon.httpAddress().getPort();
      // The same calls from the device's own page are answered: the refusal is about the name.
      b.driver.get("http://127.0.0.1:" + port + "/onboarding");
      assertTrue(call(b, "/backups", "GET", null).startsWith("200 "));

      b.driver.get("http://rebind.test:" + port + "/onboarding");
      String list = call(b, "/backups", "GET", null);
      assertTrue(list.startsWith("403 ") && list.contains("'rebind.test:" + port + "' is not"
          + " this device's own address"), list);
      String tar = Files.readString(HaFixtures.path("backup_example.tar"),
          java.nio.charset.StandardCharsets.ISO_8859_1);
      String upload = call(b, "/backups/new/upload?filename=x.tar", "POST", tar);
      assertTrue(upload.startsWith("403 "), upload);
      String restore = call(b, "/backups/00000000/restore/full", "POST", "{}");
      assertTrue(restore.startsWith("403 "), restore);
      try (Stream<Path> left = Files.exists(backupDir) ? Files.list(backupDir) : Stream.empty()) {
        assertEquals(0, left.filter(p -> p.toString().endsWith(".tar")).count(),
            "nothing was uploaded");
      }
    }
  }
}

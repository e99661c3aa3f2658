package io.haven.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.haven.testing.GenData;
import io.haven.testing.HaFixtures;
import io.haven.testing.TreeSnapshot;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The web panel in a real Chromium against an agent in this JVM. */
class PanelBrowserTest {
  private static final String PASSWORD = "correct horse";
  private static final Path FIXTURES = HaFixtures.dir();
  private static final Path SCREENSHOTS = Path.of("target", "panel-screenshots");

  @TempDir static Path tmp;
  static Browser browser;
  static RunningAgent agent;
  static Path root;
  static Path backupDir;

  @BeforeAll
  static void start() throws Exception {
    browser = new Browser(tmp.resolve("downloads"), SCREENSHOTS);
    root = GenData.copyTo(tmp.resolve("root"), 4);
    // Large and incompressible, so a full backup runs long enough to watch.
    writeRandom(root.resolve("media").resolve("camera.bin"), 96 << 20);
    backupDir = tmp.resolve("backup");
    agent = new RunningAgent(root, backupDir);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (agent != null) {
      agent.close();
    }
  }

  private static void writeRandom(Path file, int size) throws Exception {
    Files.createDirectories(file.getParent());
    Random random = new Random(8);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int done = 0; done < size; done += buf.length) {
        random.nextBytes(buf);
        out.write(buf);
      }
    }
  }

  private String url(RunningAgent a, String path) {
    return a.uri(path).toString();
  }

  private void signIn() {
    browser.driver.get(url(agent, "/"));
    browser.visible("#token").sendKeys(RunningAgent.TOKEN);
    browser.find("#login-form button[type=submit]").click();
    browser.visible("#create-open");
  }

  // By XPath in one step: the table is rebuilt after every change, so held rows go stale.
  private static String rowXPath(String name) {
    return "//table[@id='backups']/tbody/tr[td[1][normalize-space(.)='" + name + "']]";
  }

  private static By rowBy(String name) {
    return By.xpath(rowXPath(name));
  }

  private WebElement row(String name) {
    return browser.until(d -> d.findElements(rowBy(name)).stream().findFirst().orElse(null));
  }

  private boolean locked(String name) {
    return !row(name).findElements(By.cssSelector("td.protected svg.lock")).isEmpty();
  }

  private boolean hasRow(String name) {
    return !browser.driver.findElements(rowBy(name)).isEmpty();
  }

  private void click(String name, String action) {
    By button = By.xpath(rowXPath(name) + "//*[self::button or self::a][text()='" + action
        + "']");
    browser.until(d -> {
      d.findElement(button).click();
      return true;
    });
  }

  private String notice() {
    return browser.visible("#notice").getText();
  }

  private String error() {
    return browser.visible("#error").getText();
  }

  /** Fills the create dialog and follows the job; returns whether progress above 0 was seen. */
  private boolean create(String name, boolean partial, String... parts) throws Exception {
    browser.find("#create-open").click();
    browser.visible("#create-form");
    if (partial) {
      browser.find("#create input[name=kind][value=partial]").click();
      for (String p : parts) {
        browser.visible("#create-parts input[value='" + p + "']").click();
      }
    }
    browser.find("#create input[name=name]").sendKeys(name);
    browser.find("#create input[name=password]").sendKeys(PASSWORD);
    browser.screenshot(partial ? "create-partial-dialog" : "create-full-dialog");
    browser.find("#create-submit").click();
    boolean sawProgress = false;
    while (!hasRow(name)) {
      WebElement job = browser.find("#job");
      Object bar = browser.js("return document.getElementById('job-bar').value;");
      if (job.isDisplayed() && ((Number) bar).doubleValue() > 0) {
        if (!sawProgress) {
          browser.screenshot(partial ? "create-progress-partial" : "create-progress-full");
        }
        sawProgress = true;
        assertFalse(browser.find("#error").isDisplayed(), "an error while the job runs: "
            + browser.find("#error").getText());
      }
      Thread.sleep(30);
    }
    assertTrue(notice().contains("Backup created"), notice());
    return sawProgress;
  }

  private String slugOf(String name) throws Exception {
    for (JsonNode b : agent.get("/backups").data().get("backups")) {
      if (b.get("name").asText().equals(name)) {
        return b.get("slug").asText();
      }
    }
    throw new AssertionError("no backup named " + name);
  }

  @Test
  void backupsPageCreatesBrowsesVerifiesDownloadsUploadsRestoresAndDeletes() throws Exception {
    signIn();
    browser.screenshot("list-empty");

    assertTrue(create("Everything", false), "the full backup's progress was never shown");
    assertTrue(locked("Everything"));
    create("Config only", true, "homeassistant", "folder:share");
    assertTrue(row("Config only").getText().contains("partial"));
    assertTrue(locked("Config only"));
    browser.screenshot("list-two-backups");

    // details and files
    click("Config only", "Details");
    browser.visible("#details-list");
    assertTrue(browser.find("#details-list").getText().contains("Protected\nyes"),
        browser.find("#details-list").getText());
    browser.find("#browse-password").sendKeys("wrong password");
    browser.find("#browse-load").click();
    assertTrue(error().toLowerCase().contains("password"), error());
    browser.find("#browse-password").clear();
    browser.find("#browse-password").sendKeys(PASSWORD);
    browser.find("#browse-load").click();
    browser.until(d -> d.findElements(By.cssSelector("#files tbody tr")).size() > 3);
    browser.screenshot("details-files");
    browser.find("#browse-filter").sendKeys("homeassistant/data/configuration.yaml");
    browser.find("#browse-load").click();
    browser.until(d -> d.findElements(By.cssSelector("#files tbody tr")).size() == 1);
    assertTrue(browser.find("#files").getText().startsWith(
        "homeassistant/data/configuration.yaml"), browser.find("#files").getText());
    browser.find("#details .close").click();

    // verify, with the password asked in a dialog
    click("Config only", "Verify");
    browser.visible("#verify-password").sendKeys(PASSWORD);
    browser.find("#verify-submit").click();
    browser.until(d -> notice().contains("is intact"));

    // download: the same bytes as the file in the backup directory
    String slug = slugOf("Config only");
    click("Config only", "Download");
    Path downloaded = browser.until(d -> finishedDownload());
    assertEquals(TreeSnapshot.sha256(backupDir.resolve(slug + ".tar")),
        TreeSnapshot.sha256(downloaded));

    // upload a backup Home Assistant made
    browser.chooseFile("upload-file", FIXTURES.resolve("backup_example.tar"));
    browser.until(d -> notice().contains("Uploaded backup 7fed74c8"));
    assertFalse(locked("Example"));
    browser.screenshot("list-after-upload");

    restorePartial(slug);
    deleteWithConfirm("Everything");
    browser.screenshot("list-final");
  }

  private Path finishedDownload() {
    try (Stream<Path> files = Files.list(browser.downloads)) {
      List<Path> all = files.toList();
      if (all.stream().anyMatch(p -> p.toString().endsWith(".crdownload"))) {
        return null;
      }
      return all.stream().filter(p -> p.toString().endsWith(".tar")).findFirst().orElse(null);
    } catch (Exception e) {
      return null;
    }
  }

  private void restorePartial(String slug) throws Exception {
    Path config = root.resolve("config");
    String before = Files.readString(config.resolve("configuration.yaml"));
    Files.writeString(config.resolve("configuration.yaml"), "broken: [\n");
    Files.writeString(config.resolve("added-later.yaml"), "x: 1\n");

    // a wrong password first: a readable error, and nothing changed
    openRestore("Config only", "wrong password");
    browser.find("#restore-submit").click();
    String wrong = error();
    assertTrue(wrong.contains("Wrong password"), wrong);
    browser.screenshot("restore-wrong-password");
    assertEquals("broken: [\n", Files.readString(config.resolve("configuration.yaml")));

    openRestore("Config only", PASSWORD);
    browser.screenshot("restore-preflight");
    browser.find("#restore-submit").click();
    browser.until(d -> notice().contains("Restore finished"));
    // Whole-tree equality does not hold: a backup leaves out logs and caches by design.
    assertEquals(before, Files.readString(config.resolve("configuration.yaml")));
    assertFalse(Files.exists(config.resolve("added-later.yaml")), "the restore replaces config/");
  }

  private void openRestore(String name, String password) {
    click(name, "Restore");
    browser.visible("#restore-form");
    browser.find("#restore input[name=kind][value=partial]").click();
    browser.visible("#restore-parts input[value=homeassistant]").click();
    browser.find("#restore input[name=password]").sendKeys(password);
    // The preflight is shown before the restore can start.
    browser.until(d -> !browser.find("#preflight").getText().contains("Checking")
        && browser.find("#restore-submit").isEnabled());
    assertTrue(browser.find("#preflight").getText().contains("The restore will take"),
        browser.find("#preflight").getText());
  }

  private void deleteWithConfirm(String name) throws Exception {
    String slug = slugOf(name);
    click(name, "Delete");
    browser.visible("#confirm-delete button[value=cancel]").click();
    Thread.sleep(300);
    assertTrue(Files.exists(backupDir.resolve(slug + ".tar")), "cancel deleted the backup");
    click(name, "Delete");
    browser.visible("#delete-submit");
    browser.screenshot("delete-confirm");
    browser.find("#delete-submit").click();
    browser.until(d -> notice().contains("Deleted " + name));
    assertFalse(hasRow(name));
    assertFalse(Files.exists(backupDir.resolve(slug + ".tar")));
  }

  @Test
  void onboardingRestoresAnUploadedBackupOnANewDevice() throws Exception {
    RunningAgent.Answer made = agent.post("/backups/new/partial", "{\"name\":\"Move me\","
        + "\"homeassistant\":true,\"folders\":[\"share\"],\"password\":\"" + PASSWORD + "\"}");
    assertEquals(200, made.status(), made.body().toString());
    Path file = tmp.resolve("move-me.tar");
    Files.copy(backupDir.resolve(made.data().get("slug").asText() + ".tar"), file);

    Path fresh = tmp.resolve("new-device");
    Files.createDirectories(fresh.resolve("config"));
    try (RunningAgent device = new RunningAgent(fresh, tmp.resolve("new-backup"))) {
      browser.driver.get(url(device, "/onboarding"));
      browser.visible("#step-choose");
      assertFalse(browser.find("#login").isDisplayed(), "a new device needs no token");
      browser.screenshot("onboarding-start");
      browser.chooseFile("onboarding-file", file);
      browser.visible("#step-check");
      browser.until(d -> browser.find("#onboarding-restore").isEnabled());
      assertTrue(browser.find("#onboarding-password-row").isDisplayed());
      browser.find("#onboarding-password").sendKeys(PASSWORD);
      browser.screenshot("onboarding-preflight");
      browser.find("#onboarding-restore").click();
      browser.visible("#step-done");
      browser.screenshot("onboarding-done");
      TreeSnapshot.assertSame(TreeSnapshot.of(root.resolve("share")),
          TreeSnapshot.of(fresh.resolve("share")), "share/ on the new device");
      assertTrue(Files.exists(fresh.resolve("config").resolve("configuration.yaml")));
      assertEquals(Optional.empty(), Optional.ofNullable(device.get("/backups").data()
          .get("backups").get(1)), "only the uploaded backup is there");
    }
  }
}

package io.haven.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.haven.config.Config;
import io.haven.key.KeyFile;
import io.haven.location.LocationSpec;
import io.haven.location.LoopbackServers;
import io.haven.testing.GenData;
import io.haven.testing.HaFixtures;
import io.haven.testing.TreeSnapshot;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The web panel in a real Chromium against an agent in this JVM started from a config file, as
 * on a device: the Backups page, one backup's dialog, a job started elsewhere, the settings, and
 * onboarding, at a phone's width (390 px) and a desktop's (1280 px). Screenshots are kept in
 * target/screenshots/panel.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PanelBrowserTest {
  private static final String PASSWORD = "correct horse";
  private static final Path SCREENSHOTS = Path.of("target", "screenshots", "panel");
  /** What no message for a person may hold: flags, API paths, commands, temporary names. */
  private static final Pattern TECHNICAL = Pattern.compile(
      "--[a-z]|/backups/|/jobs/|'haven |haven backups|\\.haven-tmp|finishing_file|_backup\\b");

  @TempDir static Path tmp;
  static Browser browser;
  static RunningAgent agent;
  static Path root;
  static Path backupDir;
  static Path configFile;

  @BeforeAll
  static void start() throws Exception {
    browser = new Browser(tmp.resolve("downloads"), SCREENSHOTS);
    root = GenData.copyTo(tmp.resolve("root"), 4);
    // Large and incompressible, so a compatible (gzip) backup runs long enough to watch through a
    // reload, on one compression worker: 160 MiB took under 4 s on a fast machine, which ended
    // the backup before the reloaded page showed the time left.
    writeRandom(root.resolve("media").resolve("camera.bin"), 480 << 20);
    backupDir = tmp.resolve("backup");
    configFile = tmp.resolve("haven.yaml");
    Files.writeString(configFile, "# Haven on the test device\n"
        + "data_root: " + root + "\n"
        + "backup_dir: " + backupDir + "   # kept as written\n"
        + "api_listen: 127.0.0.1:0\n"
        + "compression_workers: 1\n"
        + "# when automatic backups run\n"
        + "schedule: {recurrence: never}\n");
    Config config = Config.load(Optional.of(configFile), Map.of("HAVEN_API_TOKEN",
        RunningAgent.TOKEN), tmp);
    agent = new RunningAgent(config);
    agent.daemon.settingsIn(configFile);
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

  private static void width(int px) {
    browser.driver.manage().window().setSize(new Dimension(px, px < 700 ? 844 : 900));
  }

  private static void shot(String name) throws Exception {
    browser.screenshot(name);
  }

  private void signIn() {
    browser.driver.get(agent.uri("/").toString());
    // The page asks the agent whether its session is still good; then the list or the sign-in.
    browser.until(d -> (Boolean) browser.js("return !document.getElementById('app').hidden"
        + " || !document.getElementById('login').hidden;"));
    if (browser.find("#login").isDisplayed()) {
      browser.find("#token").sendKeys(RunningAgent.TOKEN);
      browser.find("#login-form button[type=submit]").click();
    }
    try {
      browser.visible("#create-open");
      browser.until(d -> !browser.find("#summary-space").getText().equals("—"));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("the page did not load: " + browser.js(
          "return document.body.innerText;"), e);
    }
  }

  private static By rowBy(String name) {
    return By.xpath("//table[@id='backups']/tbody/tr[td[1]/button[normalize-space(.)='" + name
        + "']]");
  }

  private WebElement row(String name) {
    return browser.until(d -> d.findElements(rowBy(name)).stream().findFirst().orElse(null));
  }

  private void openBackup(String name) {
    browser.until(d -> {
      d.findElement(rowBy(name)).findElement(By.cssSelector("button.row-open")).click();
      return true;
    });
    browser.visible("#backup-facts");
  }

  private void view(String action) {
    browser.find("#backup-view-details button[data-view='" + action + "']").click();
    browser.visible("#backup-view-" + action);
  }

  private String dialogError(String viewCss) {
    String text = browser.visible(viewCss + " .dialog-error").getText();
    assertPlain(text);
    return text;
  }

  private static void assertPlain(String text) {
    assertFalse(TECHNICAL.matcher(text).find(), "not written for a person: " + text);
  }

  private String slugOf(String name) throws Exception {
    for (JsonNode b : agent.get("/backups").data().get("backups")) {
      if (b.get("name").asText().equals(name)) {
        return b.get("slug").asText();
      }
    }
    throw new AssertionError("no backup named " + name);
  }

  private void waitIdle() {
    browser.until(d -> {
      try {
        for (JsonNode j : agent.get("/jobs/info").data().get("jobs")) {
          if (!j.get("done").asBoolean()) {
            return false;
          }
        }
        return true;
      } catch (Exception e) {
        return false;
      }
    });
  }

  private String jobCard() {
    return browser.visible("#job").getText();
  }

  @Test
  @Order(1)
  void createChecksThePasswordTwiceAndShowsItOnRequest() throws Exception {
    width(1280);
    signIn();
    shot("main-empty-1280");
    browser.find("#create-open").click();
    browser.visible("#create-form");
    assertEquals("create-name", browser.js("return document.activeElement.id;"),
        "focus goes into the dialog");
    browser.find("#create input[name=kind][value=partial]").click();
    browser.visible("#create-parts input[value=homeassistant]").click();
    browser.find("#create-parts input[value='folder:share']").click();
    browser.find("#create-name").sendKeys("Config only");
    browser.find("#create-protect").click();
    browser.visible("#create-password").sendKeys(PASSWORD);
    browser.find("#create-password2").sendKeys("correct hrose");
    browser.find("#create-submit").click();
    assertTrue(dialogError("#create-form").contains("passwords differ"));
    browser.find("#create-password-rows .toggle").click();
    assertEquals("text", browser.find("#create-password").getAttribute("type"));
    assertEquals("text", browser.find("#create-password2").getAttribute("type"));
    shot("create-dialog-1280");
    browser.find("#create-password2").clear();
    browser.find("#create-password2").sendKeys(PASSWORD);
    browser.find("#create-submit").click();
    browser.until(d -> !browser.find("#create").isDisplayed());
    browser.until(d -> jobCard().contains("Backup “Config only” made."));
    WebElement r = row("Config only");
    assertTrue(r.getText().contains("Manual"), r.getText());
    assertFalse(r.findElements(By.cssSelector("svg.lock")).isEmpty(), "marked protected");
    assertTrue(r.getText().contains("This device"), r.getText());
  }

  @Test
  @Order(2)
  void aJobStartedElsewhereShowsInWordsSurvivesAReloadAndLeavesItsResult() throws Exception {
    width(1280);
    signIn();
    // Started through the API, as the command line, the schedule or Home Assistant start them.
    RunningAgent.Answer made = agent.post("/backups/new/full", "{\"name\":\"Everything\","
        + "\"compression\":\"gzip\",\"background\":true}");
    assertEquals(200, made.status(), made.body().toString());
    String title = browser.until(d -> {
      String t = browser.find("#job-title").getText();
      return t.matches("Backing up .+ — \\d+ %.*") ? t : null;
    });
    assertPlain(title);
    assertTrue(browser.find("#create-open").getAttribute("disabled") != null,
        "Create is disabled while a job runs");
    browser.driver.navigate().refresh();
    browser.until(d -> browser.find("#job-title").getText().startsWith("Backing up"));
    browser.until(d -> browser.find("#job-title").getText().contains("left"));
    assertFalse(browser.find("#create-open").isEnabled(), "still disabled after the reload");
    shot("job-running-1280");
    width(390);
    shot("job-running-390");
    width(1280);
    browser.until(d -> jobCard().contains("Backup “Everything” made."));
    assertTrue(browser.find("#create-open").isEnabled());
    browser.driver.navigate().refresh();
    browser.until(d -> jobCard().contains("Backup “Everything” made."));
    browser.find("#job-dismiss").click();
    browser.until(d -> !browser.find("#job").isDisplayed());
    browser.driver.navigate().refresh();
    browser.visible("#create-open");
    Thread.sleep(600);
    assertFalse(browser.find("#job").isDisplayed(), "a dismissed result stays dismissed");
  }

  @Test
  @Order(3)
  void theBackupDialogHoldsDetailsFilesVerifyAndDownload() throws Exception {
    width(1280);
    signIn();
    openBackup("Config only");
    String facts = browser.find("#backup-facts").getText();
    assertTrue(facts.matches("(?s)Home Assistant\n(Included|Home Assistant \\d).*"), facts);
    assertTrue(facts.contains("Folders\nShare folder"), facts);
    assertFalse(facts.contains("unknown"), facts);
    shot("backup-dialog-1280");

    view("files");
    browser.find("#files-password").sendKeys("wrong password");
    browser.find("#files-load").click();
    assertTrue(dialogError("#backup-view-files").contains("does not open"));
    assertTrue(browser.find("#backup").isDisplayed(), "the error stays in the dialog");
    browser.find("#files-password").clear();
    browser.find("#files-password").sendKeys(PASSWORD);
    new org.openqa.selenium.support.ui.Select(browser.find("#files-part"))
        .selectByValue("homeassistant");
    browser.find("#files-filter").sendKeys("configuration.yaml");
    browser.find("#files-load").click();
    browser.until(d -> d.findElements(By.cssSelector("#files tbody tr")).size() == 1);
    assertEquals("Home Assistant configuration.yaml",
        browser.find("#files tbody tr").getText().replaceAll("\\s+\\S+ [kMG]?B$", "")
            .replaceAll("\\s+", " ").trim());
    Number tableWidth = (Number) browser.js("return document.getElementById('files')"
        + ".getBoundingClientRect().right;");
    Number dialogRight = (Number) browser.js("return document.getElementById('backup')"
        + ".getBoundingClientRect().right;");
    assertTrue(tableWidth.doubleValue() <= dialogRight.doubleValue(), "the table fits");
    browser.find("#files-part").sendKeys(Keys.HOME);
    shot("backup-files-1280");
    browser.find("#backup").sendKeys(Keys.ESCAPE);
    browser.until(d -> !browser.find("#backup").isDisplayed());

    // another backup: the filter and the table start empty
    openBackup("Everything");
    view("files");
    assertEquals("", browser.find("#files-filter").getAttribute("value"));
    assertTrue(browser.driver.findElements(By.cssSelector("#files tbody tr")).isEmpty());
    browser.find("#backup-back").click();

    // download: the same bytes as the file in the backup directory
    browser.find("#backup-download").click();
    Path downloaded = browser.until(d -> finishedDownload());
    assertEquals(TreeSnapshot.sha256(backupDir.resolve(slugOf("Everything") + ".tar")),
        TreeSnapshot.sha256(downloaded));
    browser.find("#backup .close").click();

    openBackup("Config only");
    view("verify");
    browser.find("#verify-password").sendKeys("nope");
    browser.find("#verify-submit").click();
    assertTrue(dialogError("#backup-view-verify").contains("does not open"));
    browser.find("#verify-password").clear();
    browser.find("#verify-password").sendKeys(PASSWORD);
    browser.find("#verify-submit").click();
    browser.until(d -> jobCard().contains("“Config only” is intact"));
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

  @Test
  @Order(4)
  void restoreChecksThePasswordInItsDialogAndRestoresTheChosenParts() throws Exception {
    width(1280);
    signIn();
    waitIdle();
    Path config = root.resolve("config");
    String before = Files.readString(config.resolve("configuration.yaml"));
    Files.writeString(config.resolve("configuration.yaml"), "broken: [\n");
    openBackup("Config only");
    view("restore");
    browser.find("#restore-parts input[value='folder:share']").click(); // Home Assistant only
    browser.until(d -> !browser.find("#restore-preflight").getText().contains("Checking"));
    String preflight = browser.find("#restore-preflight").getText();
    assertTrue(preflight.contains("The restore will take"), preflight);
    assertFalse(preflight.contains("measured"), preflight);
    assertPlain(preflight);
    browser.find("#restore-password").sendKeys("wrong password");
    browser.find("#restore-submit").click();
    assertTrue(dialogError("#backup-view-restore").contains("does not open"));
    assertTrue(browser.find("#restore-parts input[value=homeassistant]").isSelected(),
        "the parts stay chosen");
    assertFalse(browser.find("#restore-parts input[value='folder:share']").isSelected());
    shot("restore-wrong-password-1280");
    assertEquals("broken: [\n", Files.readString(config.resolve("configuration.yaml")));
    browser.find("#restore-password").clear();
    browser.find("#restore-password").sendKeys(PASSWORD);
    browser.find("#restore-submit").click();
    browser.until(d -> jobCard().contains("Restored “Config only”."));
    assertEquals(before, Files.readString(config.resolve("configuration.yaml")));
  }

  @Test
  @Order(5)
  void thePhoneLayoutKeepsTheToolbarOnOneLineAndRestoreInView() throws Exception {
    width(390);
    signIn();
    shot("main-390");
    double toolbar = ((Number) browser.js("return document.querySelector('.toolbar')"
        + ".getBoundingClientRect().height;")).doubleValue();
    assertTrue(toolbar < 56, "the toolbar is one line, not " + toolbar + " px");
    openBackup("Config only");
    WebElement restore = browser.find("#backup-restore");
    assertTrue(restore.isDisplayed());
    double bottom = ((Number) browser.js("return arguments[0].getBoundingClientRect().bottom;",
        restore)).doubleValue();
    assertTrue(bottom <= 844, "Restore is in view at 390 px: " + bottom);
    shot("backup-dialog-390");
    browser.find("#backup").sendKeys(Keys.ESCAPE);
    width(1280);
    shot("main-1280");
  }

  @Test
  @Order(6)
  void settingsAreSavedInTheConfigFileKeepingWhatThePageDoesNotKnow() throws Exception {
    width(1280);
    signIn();
    browser.find("#open-settings").click();
    browser.visible("#view-settings");
    browser.until(d -> browser.find("#key-value").getAttribute("value").length() == 34);
    new org.openqa.selenium.support.ui.Select(browser.find("#schedule-recurrence"))
        .selectByValue("custom_days");
    browser.find("#schedule-days input[value=mon]").click();
    browser.find("#schedule-days input[value=thu]").click();
    new org.openqa.selenium.support.ui.Select(browser.find("#schedule-time-kind"))
        .selectByValue("fixed");
    browser.find("#schedule-time").sendKeys("0315");
    browser.find("#content-database").click();
    browser.find("#content-folders input[value=media]").click();
    new org.openqa.selenium.support.ui.Select(browser.find("#retention-global .retention-mode"))
        .selectByValue("limit");
    browser.find("#keep-copies").sendKeys("5");

    // a location: a folder on this device, tested and added from its dialog
    browser.js("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});",
        browser.find("#location-add-open"));
    browser.find("#location-add-open").click();
    browser.visible("#location-name").sendKeys("usb");
    new org.openqa.selenium.support.ui.Select(browser.find("#location-kind"))
        .selectByValue("file");
    Path usb = tmp.resolve("usb-disk");
    browser.find("#location-path").sendKeys(usb.toString());
    browser.find("#location-test").click();
    browser.until(d -> browser.find("#location-ok").isDisplayed());
    shot("settings-location-1280");
    browser.find("#location-save").click();
    browser.until(d -> browser.find("#locations-list").getText().contains("usb"));
    shot("settings-1280");
    width(390);
    shot("settings-390");
    width(1280);
    browser.js("arguments[0].scrollIntoView({block: 'center'});", browser.find("#key-kit"));
    browser.find("#key-kit").click();
    Path kit = browser.until(d -> kitFile());
    assertTrue(Files.readString(kit).contains(browser.find("#key-value").getAttribute("value")));

    browser.find("#settings-save").click();
    browser.until(d -> browser.find("#notice").getText().contains("Settings saved")
        || browser.find("#settings-error").isDisplayed());
    assertFalse(browser.find("#settings-error").isDisplayed(),
        browser.find("#settings-error").getText());
    String yaml = Files.readString(configFile);
    assertTrue(yaml.startsWith("# Haven on the test device\n"), yaml);
    assertTrue(yaml.contains("backup_dir: " + backupDir + "   # kept as written\n"), yaml);
    assertTrue(yaml.contains("# when automatic backups run\nschedule:"), yaml);
    Config saved = Config.load(Optional.of(configFile), Map.of(), tmp);
    assertEquals("CUSTOM_DAYS", saved.offsite().schedule().recurrence().name());
    assertEquals("03:15", saved.offsite().schedule().time().get().toString());
    assertEquals(Optional.of(5), saved.offsite().retention().copies());
    assertFalse(saved.offsite().content().database());
    assertEquals(Optional.of(List.of("share", "ssl", "addons/local")),
        saved.offsite().content().folders());
    assertTrue(agent.get("/haven/locations").body().toString().contains("\"usb\""));
    // The schedule follows at once: the status card names the next run.
    browser.until(d -> !browser.find("#summary-next").getText().contains("off")
        && !browser.find("#summary-next").getText().equals("—"));
    assertTrue(browser.find("#summary-locations").getText().contains("usb"));
  }

  private Path kitFile() {
    try (Stream<Path> files = Files.list(browser.downloads)) {
      return files.filter(p -> p.getFileName().toString().startsWith("haven_backup_emergency_kit")
          && p.toString().endsWith(".txt")).findFirst().orElse(null);
    } catch (Exception e) {
      return null;
    }
  }

  @Test
  @Order(7)
  void deleteAsksFirstInsideTheDialog() throws Exception {
    width(1280);
    signIn();
    waitIdle();
    String slug = slugOf("Everything");
    openBackup("Everything");
    view("delete");
    browser.find("#backup-view-delete button[data-view=details]").click();
    assertTrue(Files.exists(backupDir.resolve(slug + ".tar")), "cancel deleted the backup");
    view("delete");
    browser.find("#delete-submit").click();
    browser.until(d -> browser.find("#notice").getText().contains("Deleted “Everything”"));
    assertTrue(browser.driver.findElements(rowBy("Everything")).isEmpty());
    assertFalse(Files.exists(backupDir.resolve(slug + ".tar")));
  }

  @Test
  @Order(8)
  void onboardingRestoresTheChosenPartsOfAnUploadedBackup() throws Exception {
    String slug = slugOf("Config only");
    Path file = tmp.resolve("move-me.tar");
    Files.copy(backupDir.resolve(slug + ".tar"), file);
    Path fresh = tmp.resolve("new-device");
    Files.createDirectories(fresh.resolve("config"));
    try (RunningAgent device = new RunningAgent(fresh, tmp.resolve("new-backup"))) {
      for (int px : new int[] {390, 1280}) {
        width(px);
        browser.driver.get(device.uri("/onboarding").toString());
        browser.visible("#step-choose");
        shot("onboarding-start-" + px);
      }
      assertFalse(browser.find("#login").isDisplayed(), "a new device needs no token");
      browser.chooseFile("onboarding-file", file);
      browser.visible("#step-check");
      browser.until(d -> !browser.find("#preflight").getText().contains("Checking"));
      String preflight = browser.find("#preflight").getText();
      assertFalse(preflight.contains("measured"), preflight);
      assertPlain(preflight);
      assertTrue(browser.find("#onboarding-password-row").getText().contains("emergency kit"));
      browser.find("#onboarding-password").sendKeys("wrong");
      browser.find("#onboarding-restore").click();
      assertTrue(dialogError("#step-check").contains("does not open"));
      browser.find("#onboarding-password").clear();
      browser.find("#onboarding-password").sendKeys(PASSWORD);
      shot("onboarding-check-1280");
      width(390);
      shot("onboarding-check-390");
      width(1280);
      browser.find("#onboarding-restore").click();
      browser.visible("#step-done");
      shot("onboarding-done-1280");
      TreeSnapshot.assertSame(TreeSnapshot.of(root.resolve("share")),
          TreeSnapshot.of(fresh.resolve("share")), "share/ on the new device");
      assertTrue(Files.exists(fresh.resolve("config").resolve("configuration.yaml")));
    }
  }

  @Test
  @Order(9)
  void anUploadedHomeAssistantBackupShowsItsAddonsByName() throws Exception {
    width(1280);
    signIn();
    browser.chooseFile("upload-file", HaFixtures.path("backup_example.tar"));
    browser.until(d -> browser.find("#notice").getText().contains("Added “Example”"));
    browser.chooseFile("upload-file", HaFixtures.path("backup_example.tar"));
    String again = browser.visible("#error").getText();
    assertTrue(again.contains("already on this device"), again);
    assertPlain(again);
  }

  @Test
  @Order(10)
  void changingTheKeyAsksFirstAndKeepsTheOldOne() throws Exception {
    width(1280);
    signIn();
    browser.find("#open-settings").click();
    browser.visible("#view-settings");
    browser.until(d -> browser.find("#key-value").getAttribute("value").length() == 34);
    String before = browser.find("#key-value").getAttribute("value");
    KeyFile keys = new KeyFile(agent.daemon.daemon().service().config().locationsFile()
        .toAbsolutePath().resolveSibling(KeyFile.NAME));
    int kept = keys.all().size();

    browser.js("arguments[0].scrollIntoView({block: 'center'});", browser.find("#key-change"));
    browser.find("#key-change").click();
    browser.visible("#key-dialog");
    assertEquals("key-confirm", browser.js("return document.activeElement.id;"));
    browser.find("#key-new-submit").click();
    String unticked = dialogError("#key-dialog");
    assertTrue(unticked.contains("Tick the box first"), unticked);
    assertEquals(before, keys.current().orElseThrow().value());
    shot("settings-key-change-1280");

    browser.find("#key-confirm").click();
    browser.find("#key-new-submit").click();
    browser.until(d -> browser.find("#notice").getText().contains("encryption key was changed"));
    browser.until(d -> !browser.find("#key-value").getAttribute("value").equals(before));
    String after = browser.find("#key-value").getAttribute("value");
    assertTrue(after.matches("([A-Z0-9]{4}-){6}[A-Z0-9]{4}"), after);
    assertEquals(after, keys.current().orElseThrow().value());
    assertEquals(kept + 1, keys.all().size());
    assertTrue(keys.all().stream().anyMatch(k -> k.value().equals(before)));
    assertTrue(browser.find("#key-body").getText().contains("older key"),
        browser.find("#key-body").getText());
  }

  @Test
  @Order(11)
  void anSftpServersKeyIsShownAndOnlyATrustedOneIsPinned() throws Exception {
    try (LoopbackServers.Server sftp = LoopbackServers.sftp()) {
      LocationSpec server = sftp.spec("nas", "panel");
      Files.createDirectories(sftp.storage("panel"));
      width(1280);
      signIn();
      browser.find("#open-settings").click();
      browser.visible("#view-settings");
      // Instant: a smooth scroll still under way lets the sticky toolbar take the click.
      browser.js("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});",
          browser.find("#location-add-open"));
      browser.find("#location-add-open").click();
      browser.visible("#location-name").sendKeys("nas");
      new org.openqa.selenium.support.ui.Select(browser.find("#location-kind"))
          .selectByValue("sftp");
      browser.find("#location-host").sendKeys(server.url().getHost());
      browser.find("#location-port").sendKeys(String.valueOf(server.url().getPort()));
      browser.find("#location-user").sendKeys(server.url().getUserInfo());
      browser.find("#location-keyFile").sendKeys(server.secret(LocationSpec.KEY_FILE)
          .orElseThrow());
      browser.find("#location-path").sendKeys(server.url().getPath());
      browser.find("#location-test").click();

      browser.visible("#location-hostkey");
      String fingerprint = server.option("hostKey").orElseThrow();
      assertEquals(fingerprint, browser.find("#location-fingerprint").getText());
      assertEquals("location-trust", browser.js("return document.activeElement.id;"));
      shot("settings-sftp-key-1280");
      browser.find("#location-save").click();
      String untrusted = dialogError("#location");
      assertTrue(untrusted.contains("Trust this server’s key"), untrusted);
      assertTrue(agent.daemon.daemon().service().offsite().registry().get("nas").isEmpty());

      browser.find("#location-trust").click();
      browser.find("#location-test").click();
      browser.until(d -> browser.find("#location-ok").isDisplayed());
      browser.find("#location-save").click();
      browser.until(d -> browser.find("#locations-list").getText().contains("nas"));
      LocationSpec saved = agent.daemon.daemon().service().offsite().registry().get("nas")
          .orElseThrow();
      assertEquals(Optional.of(fingerprint), saved.option("hostKey"));
      assertEquals(server.secret(LocationSpec.KEY_FILE), saved.secret(LocationSpec.KEY_FILE));
    }
  }

  @Test
  @Order(12)
  void withoutAConfigFileTheSettingsAreShownButNotSaved() throws Exception {
    Config config = Config.load(Optional.empty(), Map.of("HAVEN_API_TOKEN", RunningAgent.TOKEN,
        "HAVEN_DATA_ROOT", root.toString(), "HAVEN_BACKUP_DIR",
        tmp.resolve("read-only-backups").toString(), "HAVEN_API_LISTEN", "127.0.0.1:0"), tmp);
    try (RunningAgent readOnly = new RunningAgent(config)) {
      width(390);
      browser.driver.get(readOnly.uri("/").toString());
      browser.visible("#token").sendKeys(RunningAgent.TOKEN);
      browser.find("#login-form button[type=submit]").click();
      browser.visible("#open-settings").click();
      browser.visible("#view-settings");
      String note = browser.visible("#settings-read-only").getText();
      assertTrue(note.contains("shown only"), note);
      assertPlain(note);
      assertFalse(browser.find("#settings-save").isEnabled());
      assertFalse(browser.find("#schedule-recurrence").isEnabled());
      assertFalse(browser.find("#content-database").isEnabled());
      assertTrue(browser.find("#location-add-open").isEnabled());
      shot("settings-read-only-390");
    }
  }
}

package io.haven.api;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver, with downloads going to
 * {@code downloads} and no network lookups beyond loopback. Skips (or fails under
 * HAVEN_TEST_DISALLOW_SKIP=1) when either program is missing.
 */
final class Browser implements AutoCloseable {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(30);

  final ChromeDriver driver;
  final Path downloads;
  private final Path screenshots;

  Browser(Path downloads, Path screenshots) throws Exception {
    for (Path p : new Path[] {CHROMIUM, DRIVER}) {
      if (!Files.isExecutable(p)) {
        String why = p + " is missing: apt-get install chromium chromium-driver";
        if ("1".equals(System.getenv("HAVEN_TEST_DISALLOW_SKIP"))) {
          fail(why);
        }
        Assumptions.assumeTrue(false, why);
      }
    }
    this.downloads = Files.createDirectories(downloads);
    this.screenshots = Files.createDirectories(screenshots);
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toString());
    o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1280,900", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-default-apps",
        // rebind.test plays a DNS-rebinding attacker's name that now points at this machine.
        "--host-resolver-rules=MAP rebind.test 127.0.0.1 , MAP * ~NOTFOUND , EXCLUDE localhost ,"
            + " EXCLUDE 127.0.0.1");
    o.setExperimentalOption("prefs", Map.of(
        "download.default_directory", downloads.toString(),
        "download.prompt_for_download", false,
        "safebrowsing.enabled", false));
    ChromeDriverService svc = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(DRIVER.toString())).usingAnyFreePort().build();
    driver = new ChromeDriver(svc, o);
    driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow",
        "downloadPath", downloads.toString()));
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  <T> T until(Function<WebDriver, T> condition) {
    // The panel rebuilds its table after each change: a stale element means "look again".
    return new WebDriverWait(driver, WAIT, Duration.ofMillis(50))
        .ignoring(StaleElementReferenceException.class).until(condition);
  }

  WebElement visible(String css) {
    return until(d -> {
      WebElement e = d.findElement(By.cssSelector(css));
      return e.isDisplayed() ? e : null;
    });
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** A file input is hidden behind its styled label; make it reachable, then choose the file. */
  void chooseFile(String inputId, Path file) {
    js("document.getElementById(arguments[0]).hidden = false;", inputId);
    driver.findElement(By.id(inputId)).sendKeys(file.toAbsolutePath().normalize().toString());
    js("document.getElementById(arguments[0]).hidden = true;", inputId);
  }

  void screenshot(String name) throws Exception {
    Files.write(screenshots.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
  }

  @Override
  public void close() {
    driver.quit();
  }
}

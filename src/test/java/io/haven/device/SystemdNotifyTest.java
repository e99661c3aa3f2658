package io.haven.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SystemdNotifyTest {
  @TempDir Path dir;

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // if nothing ever arrives
  void childWithNotifySocketSendsReadyStatusWatchdogAndStopping() throws Exception {
    requireProgram("/usr/bin/socat", "socat");
    Path socket = dir.resolve("notify.sock");
    Process socat = new ProcessBuilder("/usr/bin/socat", "-u", "UNIX-RECV:" + socket, "STDOUT")
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try {
      awaitSocket(socket, socat);
      int exit = runChild(socket, "Backing up\nhomeassistant");
      assertEquals(0, exit, "child JVM exit code");
      String received = readUntil(socat.getInputStream(), "STOPPING=1");
      assertEquals("READY=1" + "STATUS=Backing up homeassistant" + "WATCHDOG=1" + "STOPPING=1",
          received, "socat prints each datagram as it arrives, without separators");
    } finally {
      socat.destroy();
      socat.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void withoutNotifySocketEverythingIsANoOp() {
    SystemdNotify notify = new SystemdNotify(Map.of());
    notify.ready();
    notify.status("idle");
    notify.watchdog();
    notify.stopping();
    assertEquals(Optional.empty(), notify.watchdogInterval());
  }

  @Test
  void watchdogIntervalComesFromWatchdogUsecWhenMeantForUs() {
    String me = Long.toString(ProcessHandle.current().pid());
    assertEquals(Optional.of(Duration.ofSeconds(30)),
        new SystemdNotify(Map.of("WATCHDOG_USEC", "30000000")).watchdogInterval());
    assertEquals(Optional.of(Duration.ofMillis(1500)),
        new SystemdNotify(Map.of("WATCHDOG_USEC", "1500000", "WATCHDOG_PID", me)).watchdogInterval());
    assertEquals(Optional.empty(),
        new SystemdNotify(Map.of("WATCHDOG_USEC", "1500000", "WATCHDOG_PID", "1")).watchdogInterval(),
        "another process's watchdog");
    assertEquals(Optional.empty(), new SystemdNotify(Map.of("WATCHDOG_USEC", "soon")).watchdogInterval());
  }

  private static void requireProgram(String path, String debianPackage) {
    if (Files.isExecutable(Path.of(path))) {
      return;
    }
    String why = path + " is missing: apt-get install " + debianPackage;
    if ("1".equals(System.getenv("HAVEN_TEST_DISALLOW_SKIP"))) {
      fail(why);
    }
    Assumptions.assumeTrue(false, why);
  }

  /** socat creates the socket file once it listens; it exits only on an error. */
  private static void awaitSocket(Path socket, Process socat) throws InterruptedException {
    while (!Files.exists(socket)) {
      if (!socat.isAlive()) {
        fail("socat exited with " + socat.exitValue() + " before listening on " + socket);
      }
      Thread.sleep(10);
    }
  }

  private static int runChild(Path socket, String status) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder child = new ProcessBuilder(List.of(java, "-Xmx64m", "-cp",
        System.getProperty("java.class.path"), NotifyChild.class.getName(), status))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    child.environment().put("NOTIFY_SOCKET", socket.toString());
    return child.start().waitFor();
  }

  private static String readUntil(InputStream in, String end) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      seen.write(b);
      String text = seen.toString(StandardCharsets.UTF_8);
      if (text.endsWith(end)) {
        return text;
      }
    }
    return fail("socat stopped after: " + seen.toString(StandardCharsets.UTF_8));
  }
}

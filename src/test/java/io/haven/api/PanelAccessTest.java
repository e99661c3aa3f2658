package io.haven.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haven.testing.GenData;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The panel's files, browser sign-in, the CSRF header rule and onboarding access, over HTTP. */
class PanelAccessTest {
  @TempDir Path tmp;

  private static HttpResponse<String> send(RunningAgent a, HttpRequest.Builder r)
      throws Exception {
    return a.http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder plain(RunningAgent a, String path) {
    return HttpRequest.newBuilder(a.uri(path));
  }

  private static String cookieOf(HttpResponse<?> r) {
    String set = r.headers().firstValue("Set-Cookie").orElseThrow();
    return set.substring(0, set.indexOf(';'));
  }

  @Test
  void panelFilesAreServedWithTheirTypesAndNothingElseIs() throws Exception {
    try (RunningAgent a = new RunningAgent(GenData.copyTo(tmp.resolve("root"), 1),
        tmp.resolve("backup"))) {
      HttpResponse<String> index = send(a, plain(a, "/"));
      assertEquals(200, index.statusCode());
      assertEquals("text/html; charset=utf-8", index.headers().firstValue("Content-Type")
          .orElseThrow());
      assertTrue(index.body().contains("<title>Haven — Backups</title>"), index.body());
      assertTrue(send(a, plain(a, "/onboarding")).body().contains("Restore from backup"));
      assertEquals("text/javascript; charset=utf-8", send(a, plain(a, "/app.js")).headers()
          .firstValue("Content-Type").orElseThrow());
      assertEquals("text/css; charset=utf-8", send(a, plain(a, "/style.css")).headers()
          .firstValue("Content-Type").orElseThrow());
      assertEquals("nosniff", index.headers().firstValue("X-Content-Type-Options").orElseThrow());
      for (String path : new String[] {"/io/haven/api/panel/app.js", "/panel/app.js",
          "/app.js/", "/%2e%2e/pom.xml", "/style.css%00.html"}) {
        int status = send(a, plain(a, path)).statusCode();
        assertTrue(status == 404 || status == 400, path + " answered " + status);
      }
      // Sent raw, so no client normalises the dots away before the server sees them.
      assertFalse(raw(a, "GET /../../etc/passwd HTTP/1.1").contains("root:"));
      assertFalse(raw(a, "GET /..%2f..%2fetc/passwd HTTP/1.1").contains("root:"));
    }
  }

  private static String raw(RunningAgent a, String requestLine) throws Exception {
    return rawWith(a, requestLine, "Host: 127.0.0.1");
  }

  @Test
  void signingInSetsAStrictHttpOnlyCookieThatOpensTheApiUntilSignOut() throws Exception {
    try (RunningAgent a = new RunningAgent(GenData.copyTo(tmp.resolve("root"), 1),
        tmp.resolve("backup"))) {
      assertEquals(401, send(a, plain(a, "/auth/session")).statusCode());
      HttpResponse<String> wrong = send(a, plain(a, "/auth/session").header("Content-Type",
          "application/json").header(Access.REQUEST_HEADER, "1").POST(
              HttpRequest.BodyPublishers.ofString("{\"token\":\"nope-nope-nope-nope\"}")));
      assertEquals(401, wrong.statusCode());
      assertTrue(wrong.body().contains("not the agent's token"), wrong.body());
      assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty());

      HttpResponse<String> in = send(a, plain(a, "/auth/session").header("Content-Type",
          "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"token\":\""
              + RunningAgent.TOKEN + "\"}")));
      assertEquals(200, in.statusCode(), in.body());
      String set = in.headers().firstValue("Set-Cookie").orElseThrow();
      assertTrue(set.contains("HttpOnly") && set.contains("SameSite=Strict")
          && set.contains("Path=/"), set);
      assertFalse(set.contains(RunningAgent.TOKEN), "the cookie holds a session id, not the token");
      String cookie = cookieOf(in);

      assertEquals(200, send(a, plain(a, "/auth/session").header("Cookie", cookie)).statusCode());
      assertEquals(200, send(a, plain(a, "/haven/parts").header("Cookie", cookie)).statusCode());
      HttpResponse<String> noHeader = send(a, plain(a, "/backups/reload").header("Cookie", cookie)
          .POST(HttpRequest.BodyPublishers.noBody()));
      assertEquals(403, noHeader.statusCode(), "a cookie alone must not change anything");
      assertEquals(200, send(a, plain(a, "/backups/reload").header("Cookie", cookie)
          .header(Access.REQUEST_HEADER, "1").POST(HttpRequest.BodyPublishers.noBody()))
          .statusCode());
      assertEquals(200, a.post("/backups/reload", "{}").status(), "the bearer token needs no header");

      HttpResponse<String> out = send(a, plain(a, "/auth/session").header("Cookie", cookie)
          .DELETE());
      assertEquals(200, out.statusCode());
      assertTrue(out.headers().firstValue("Set-Cookie").orElseThrow().contains("Max-Age=0"));
      assertEquals(401, send(a, plain(a, "/haven/parts").header("Cookie", cookie)).statusCode());
      assertEquals(401, send(a, plain(a, "/haven/parts").header("Cookie",
          Sessions.COOKIE + "=" + "0".repeat(64))).statusCode());
    }
  }

  @Test
  void onboardingCallsNeedNoTokenOnlyWhileTheDeviceIsNotSetUp() throws Exception {
    Path root = tmp.resolve("new-device");
    Files.createDirectories(root.resolve("config"));
    try (RunningAgent a = new RunningAgent(root, tmp.resolve("backup"))) {
      assertEquals(200, send(a, plain(a, "/backups/info")).statusCode());
      assertEquals(401, send(a, plain(a, "/haven/parts")).statusCode(), "not an onboarding call");
      assertEquals(401, send(a, plain(a, "/backups/new/full").header(Access.REQUEST_HEADER, "1")
          .POST(HttpRequest.BodyPublishers.ofString("{}"))).statusCode());
      assertEquals(403, send(a, plain(a, "/backups/new/upload").header("Content-Type",
          "text/plain").POST(HttpRequest.BodyPublishers.ofString("x"))).statusCode(),
          "a form post from another site is refused");
    }
    Files.writeString(root.resolve("config").resolve("configuration.yaml"), "homeassistant:\n");
    try (RunningAgent a = new RunningAgent(root, tmp.resolve("backup"))) {
      assertEquals(401, send(a, plain(a, "/backups/info")).statusCode(), "started configured");
      assertEquals(200, a.get("/backups/info").status());
    }
    // Before: with config/ gone (moved away, or during a restore's swap) anyone could upload.
    Files.delete(root.resolve("config").resolve("configuration.yaml"));
    try (RunningAgent a = new RunningAgent(root, tmp.resolve("backup"))) {
      assertEquals(401, send(a, plain(a, "/backups/info")).statusCode(), "recorded, not looked");
    }
  }

  // Before: a share-only backup restored in full left no config/, so the device stayed open.
  @Test
  void theFirstCompletedRestoreEndsOnboardingWhateverItRestored() throws Exception {
    Path root = tmp.resolve("new-device");
    Files.createDirectories(root.resolve("share"));
    Files.writeString(root.resolve("share/a.txt"), "shared");
    try (RunningAgent a = new RunningAgent(root, tmp.resolve("backup"))) {
      String slug = a.post("/backups/new/partial", "{\"folders\":[\"share\"]}").data()
          .get("slug").asText();
      assertEquals(200, send(a, plain(a, "/backups/info")).statusCode());
      assertEquals(200, a.post("/backups/" + slug + "/restore/full", "{}").status());
      assertFalse(Files.exists(root.resolve("config")), "nothing of Home Assistant came back");
      assertEquals(401, send(a, plain(a, "/backups/info")).statusCode());
      assertEquals(401, send(a, plain(a, "/backups/new/upload").header(Access.REQUEST_HEADER,
          "1").POST(HttpRequest.BodyPublishers.ofString("x"))).statusCode());
    }
  }

  // Before: onboarding answered any Host and any Origin, so another site's page could use it.
  @Test
  void onboardingAnswersOnlyTheDevicesOwnPage() throws Exception {
    try (RunningAgent a = new RunningAgent(Files.createDirectories(tmp.resolve("new-device")),
        tmp.resolve("backup"))) {
      int port = a.daemon.httpAddress().getPort();
      assertTrue(rawWith(a, "GET /backups HTTP/1.1", "Host: rebind.test:" + port)
          .startsWith("HTTP/1.1 403 "), "a name another site could point here");
      assertTrue(rawWith(a, "GET /backups HTTP/1.1", "Host: localhost:" + port)
          .startsWith("HTTP/1.1 200 "));
      assertTrue(rawWith(a, "GET /backups HTTP/1.1", "Host: [::1]:" + port)
          .startsWith("HTTP/1.1 200 "));
      HttpResponse<String> otherSite = send(a, plain(a, "/backups/new/upload")
          .header(Access.REQUEST_HEADER, "1").header("Origin", "http://evil.test")
          .POST(HttpRequest.BodyPublishers.ofString("x")));
      assertEquals(403, otherSite.statusCode());
      assertTrue(otherSite.body().contains("this call came from the page at 'http://evil.test',"
          + " not from this device's own page"), otherSite.body());
      assertEquals(403, send(a, plain(a, "/backups").header("Referer",
          "http://evil.test/attack.html")).statusCode());
      assertEquals(403, send(a, plain(a, "/backups").header("Origin", "null")).statusCode());
      assertEquals(200, send(a, plain(a, "/backups").header("Origin", "http://127.0.0.1:" + port))
          .statusCode());
      assertEquals(200, send(a, plain(a, "/backups").header("Referer", "http://127.0.0.1:"
          + port + "/onboarding")).statusCode());
      assertTrue(rawWith(a, "GET /backups HTTP/1.1", "Host: rebind.test:" + port,
          "Authorization: Bearer " + RunningAgent.TOKEN).startsWith("HTTP/1.1 200 "),
          "the token is not bound to an address");
    }
  }

  private static String rawWith(RunningAgent a, String requestLine, String... headers)
      throws Exception {
    try (Socket s = new Socket("127.0.0.1", a.daemon.httpAddress().getPort())) {
      OutputStream out = s.getOutputStream();
      out.write((requestLine + "\r\n" + String.join("\r\n", headers)
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}

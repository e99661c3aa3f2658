package io.haven.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;

/**
 * The web panel's files, served from the classpath. Only the files named here exist, so no path
 * reaches anything else (no "..", no directory listing). Every answer forbids framing and MIME
 * sniffing and allows scripts only from the agent itself.
 */
final class Panel {
  private static final String BASE = "/io/haven/api/panel/";
  private static final Map<String, String> FILES = Map.of(
      "/", "index.html",
      "/index.html", "index.html",
      "/onboarding", "onboarding.html",
      "/onboarding.html", "onboarding.html",
      "/app.js", "app.js",
      "/backups.js", "backups.js",
      "/settings.js", "settings.js",
      "/onboarding.js", "onboarding.js",
      "/style.css", "style.css");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8");

  private Panel() {}

  /** The file a GET of {@code path} is answered with, if the panel has one. */
  static Optional<String> fileFor(String method, String path) {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return Optional.empty();
    }
    return Optional.ofNullable(FILES.get(path));
  }

  static String contentType(String file) {
    return TYPES.get(file.substring(file.lastIndexOf('.') + 1));
  }

  /** Streams {@code file} (one of {@link #fileFor}'s answers) to the browser. */
  static void serve(HttpExchange exchange, String file) throws IOException {
    try (InputStream in = Panel.class.getResourceAsStream(BASE + file)) {
      if (in == null) {
        throw new IllegalStateException("the panel file " + file + " is missing from the jar");
      }
      var h = exchange.getResponseHeaders();
      h.set("Content-Type", contentType(file));
      h.set("Cache-Control", "no-cache");
      h.set("X-Content-Type-Options", "nosniff");
      h.set("X-Frame-Options", "DENY");
      h.set("Referrer-Policy", "no-referrer");
      h.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:;"
          + " frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
      boolean head = exchange.getRequestMethod().equals("HEAD");
      try (OutputStream out = Call.answer(exchange, 200, head ? -1 : 0)) {
        if (!head) {
          in.transferTo(out);
        }
      }
    }
  }
}

package io.haven.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * The web panel's signed-in browsers: random session ids, kept only in memory (a restart signs
 * everyone out), each valid until it has been unused for {@link #IDLE}. At most {@link #MAX} live
 * at once; a new one beyond that ends the least recently used. Thread-safe.
 */
final class Sessions {
  static final String COOKIE = "haven_session";
  static final Duration IDLE = Duration.ofHours(12);
  static final int MAX = 64;

  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  // Keyed by the id's SHA-256, so a lookup's timing tells nothing about a guessed id's bytes.
  private final LinkedHashMap<String, Instant> lastUse = new LinkedHashMap<>(16, 0.75f, true);

  Sessions(Clock clock) {
    this.clock = clock;
  }

  /** A new session; the returned id goes into the cookie and nowhere else. */
  synchronized String create() {
    byte[] id = new byte[32];
    random.nextBytes(id);
    String session = HexFormat.of().formatHex(id);
    lastUse.put(hash(session), clock.instant());
    while (lastUse.size() > MAX) {
      Iterator<String> eldest = lastUse.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
    return session;
  }

  /** True when {@code id} is a live session; using it keeps it alive. */
  synchronized boolean valid(String id) {
    String key = hash(id);
    Instant used = lastUse.get(key);
    Instant now = clock.instant();
    if (used == null) {
      return false;
    }
    if (used.plus(IDLE).isBefore(now)) {
      lastUse.remove(key);
      return false;
    }
    lastUse.put(key, now);
    return true;
  }

  synchronized void end(String id) {
    lastUse.remove(hash(id));
  }

  /** The session id in a Cookie header, if it carries one. */
  static Optional<String> fromCookieHeader(String header) {
    if (header == null) {
      return Optional.empty();
    }
    for (String pair : header.split(";")) {
      String p = pair.strip();
      if (p.startsWith(COOKIE + "=")) {
        return Optional.of(p.substring(COOKIE.length() + 1));
      }
    }
    return Optional.empty();
  }

  /**
   * The Set-Cookie value: HttpOnly (scripts cannot read it), SameSite=Strict (other sites'
   * pages never send it). Not Secure: the agent serves plain HTTP on the local network.
   */
  static String cookie(String id) {
    return COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
        + IDLE.toSeconds();
  }

  static String expiredCookie() {
    return COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
  }

  private static String hash(String id) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(id.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /** For tests: how many sessions are kept. */
  synchronized int size() {
    return lastUse.size();
  }
}

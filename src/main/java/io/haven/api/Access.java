package io.haven.api;

import com.sun.net.httpserver.HttpExchange;
import io.haven.archive.Part;
import io.haven.tree.DataRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Who may make a call. Programs send {@code Authorization: Bearer <token>}; browsers sign in once
 * with the token and then send the session cookie. While the device is not set up yet (the data
 * root's config/ missing or empty), the onboarding page's calls need neither, and the restore it
 * starts stays watchable after it has set the device up.
 *
 * <p>Against cross-site requests: the cookie is SameSite=Strict, and every state-changing call
 * that is not made with the bearer token must carry {@value #REQUEST_HEADER}. Other sites' pages
 * cannot add that header without a CORS preflight, which the agent never answers.
 */
final class Access {
  static final String REQUEST_HEADER = "X-Haven-Request";
  private static final int ONBOARDING_JOBS_KEPT = 16;

  /** What a route needs. */
  enum Gate {
    /** Anyone: the sign-in calls themselves. */
    OPEN,
    /** The token or a session; anyone while the device is not set up. */
    ONBOARDING,
    /** As ONBOARDING, and anyone for a job an onboarding call started (the job id is the key). */
    ONBOARDING_JOB,
    /** The token or a session. */
    SIGNED_IN
  }

  /** How a call got in. */
  enum Via {
    OPEN, TOKEN, SESSION, ONBOARDING
  }

  private final byte[] bearer;
  private final byte[] token;
  private final Sessions sessions;
  private final DataRoot root;
  private final Set<String> onboardingJobs = new LinkedHashSet<>();

  Access(String token, Sessions sessions, DataRoot root) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.bearer = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.sessions = sessions;
    this.root = root;
  }

  Sessions sessions() {
    return sessions;
  }

  /** Lets the call in or throws Unauthorized (401) or Forbidden (403). */
  Via check(HttpExchange exchange, Gate gate, List<String> params) throws ApiException {
    if (gate == Gate.OPEN) {
      return Via.OPEN;
    }
    if (hasToken(exchange)) {
      return Via.TOKEN;
    }
    Via via = hasSession(exchange) ? Via.SESSION
        : gate != Gate.SIGNED_IN && (!configured() || gate == Gate.ONBOARDING_JOB
            && isOnboardingJob(params.get(0))) ? Via.ONBOARDING : null;
    if (via == null) {
      throw new ApiException.Unauthorized("401: Unauthorized. Sign in with the API token, or"
          + " send 'Authorization: Bearer <token>' with the token from HAVEN_API_TOKEN or the"
          + " agent's token file.");
    }
    if (changesState(exchange) && exchange.getRequestHeaders().getFirst(REQUEST_HEADER) == null) {
      throw new ApiException.Forbidden("403: Forbidden. A browser's " + exchange
          .getRequestMethod() + " must carry the " + REQUEST_HEADER + " header; reload the"
          + " panel, or use the bearer token.");
    }
    return via;
  }

  /** The bearer token or a live session. */
  boolean signedIn(HttpExchange exchange) {
    return hasToken(exchange) || hasSession(exchange);
  }

  // Constant-time: the time taken tells nothing about how much of a guess was right.
  boolean tokenMatches(String given) {
    return MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
  }

  private boolean hasToken(HttpExchange exchange) {
    String given = exchange.getRequestHeaders().getFirst("Authorization");
    return given != null && MessageDigest.isEqual(bearer, given.getBytes(StandardCharsets.UTF_8));
  }

  private boolean hasSession(HttpExchange exchange) {
    return session(exchange).map(sessions::valid).orElse(false);
  }

  static Optional<String> session(HttpExchange exchange) {
    List<String> cookies = exchange.getRequestHeaders().get("Cookie");
    if (cookies == null) {
      return Optional.empty();
    }
    return cookies.stream().map(Sessions::fromCookieHeader).flatMap(Optional::stream)
        .findFirst();
  }

  private static boolean changesState(HttpExchange exchange) {
    String m = exchange.getRequestMethod();
    return !m.equals("GET") && !m.equals("HEAD");
  }

  /** True once the device holds a Home Assistant configuration. */
  boolean configured() {
    Path config = root.dirOf(Part.homeAssistant());
    try (Stream<Path> entries = Files.list(config)) {
      return entries.findAny().isPresent();
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      // Unreadable is not "empty": never open the device up because of an I/O error.
      throw new UncheckedIOException(e);
    }
  }

  /** Remembers a job an onboarding call started, so its page can follow it to the end. */
  synchronized void onboardingJob(String uuid) {
    onboardingJobs.add(uuid);
    while (onboardingJobs.size() > ONBOARDING_JOBS_KEPT) {
      onboardingJobs.remove(onboardingJobs.iterator().next());
    }
  }

  private synchronized boolean isOnboardingJob(String uuid) {
    return onboardingJobs.contains(uuid);
  }
}

package io.haven.api;

import com.sun.net.httpserver.HttpExchange;
import io.haven.agent.Onboarding;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who may make a call. Programs send {@code Authorization: Bearer <token>}; browsers sign in once
 * with the token and then send the session cookie. While the device is not set up yet
 * ({@link Onboarding}), the onboarding page's calls need neither, and the restore it starts
 * stays watchable after it has set the device up; such calls are answered only for the
 * device's own page ({@link OwnPage}: its Host and Origin), never for another site's.
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
  private final Onboarding onboarding;
  private final OwnPage ownPage;
  private final Set<String> onboardingJobs = new LinkedHashSet<>();

  Access(String token, Sessions sessions, Onboarding onboarding, OwnPage ownPage) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.bearer = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.sessions = sessions;
    this.onboarding = onboarding;
    this.ownPage = ownPage;
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
    if (via == Via.ONBOARDING) {
      ownPage.check(exchange);
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

  /** True once the device is set up: onboarding calls need the token then. */
  boolean configured() {
    return !onboarding.open();
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

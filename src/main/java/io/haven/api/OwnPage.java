package io.haven.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The device's own page, as a browser shows it. A call that needs no token (onboarding) is
 * answered only when the browser addressed the agent by a name no other site can take over: an
 * IP address (DNS rebinding needs a name), {@code localhost}, or the device's own host name
 * (also with {@code .local}, as mDNS gives it). And when the browser says which page made the
 * call (Origin, else Referer), that page must be at the same address. A program that sends
 * neither header is not a browser another site could use, and is let through.
 */
final class OwnPage {
  private static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");
  private final Set<String> names;

  /** {@code names}: the host names, besides addresses and localhost, that are this device. */
  OwnPage(Set<String> names) {
    this.names = Set.copyOf(names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList());
  }

  /** This machine's own name, read from the kernel without a network lookup. */
  static OwnPage ofThisDevice() {
    try {
      String name = Files.readString(HOSTNAME).strip().toLowerCase(Locale.ROOT);
      return name.isEmpty() ? new OwnPage(Set.of()) : new OwnPage(Set.of(name, name + ".local"));
    } catch (IOException e) {
      return new OwnPage(Set.of());
    }
  }

  /** Throws Forbidden unless the call comes from the device's own page (or from no page). */
  void check(HttpExchange exchange) throws ApiException.Forbidden {
    String host = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Host")).orElse("");
    if (!isOwnName(nameIn(host))) {
      throw new ApiException.Forbidden("403: '" + shown(host) + "' is not this device's own"
          + " address. Setting up a new device without the token works only at its address,"
          + " such as http://127.0.0.1 or http://localhost with the agent's port. Open the page"
          + " there, or sign in with the token.");
    }
    Optional<String> from = pageOf(exchange);
    if (from.isPresent() && !from.get().equalsIgnoreCase("http://" + host)) {
      throw new ApiException.Forbidden("403: this call came from the page at '"
          + shown(from.get()) + "', not from this device's own page. Open the page at http://"
          + shown(host) + "/ instead.");
    }
  }

  /** The origin of the page that made the call, as the browser says it. */
  private static Optional<String> pageOf(HttpExchange exchange) {
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    if (origin != null) {
      return Optional.of(origin); // "null" (a sandboxed or file page) matches no address
    }
    String referer = exchange.getRequestHeaders().getFirst("Referer");
    if (referer == null) {
      return Optional.empty();
    }
    try {
      URI u = URI.create(referer);
      return Optional.of(u.getScheme() + "://" + u.getRawAuthority());
    } catch (IllegalArgumentException e) {
      return Optional.of(referer);
    }
  }

  /** The name in a Host header: without the port, an IPv6 address without its brackets. */
  private static String nameIn(String host) {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? "" : host.substring(1, end);
    }
    int colon = host.lastIndexOf(':');
    return (colon < 0 ? host : host.substring(0, colon)).toLowerCase(Locale.ROOT);
  }

  private boolean isOwnName(String name) {
    return name.equals("localhost") || names.contains(name)
        || name.matches("\\d{1,3}(\\.\\d{1,3}){3}") || name.matches("[0-9a-f:.]*:[0-9a-f:.]*");
  }

  // What the caller sent, short and printable, so an answer never carries a crafted header.
  private static String shown(String s) {
    String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() > 100 ? printable.substring(0, 100) + "…" : printable;
  }
}

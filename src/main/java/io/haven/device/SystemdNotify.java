package io.haven.device;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd how Haven is doing (sd_notify(3) through libsystemd): started, what it is doing,
 * still alive, stopping. Does nothing when systemd did not ask (NOTIFY_SOCKET unset) or when
 * libsystemd is not installed; a failed notification is logged, never thrown.
 */
public final class SystemdNotify {
  private static final Logger LOG = LoggerFactory.getLogger(SystemdNotify.class);

  /** The one function we need from libsystemd. */
  interface LibSystemd extends Library {
    int sd_notify(int unsetEnvironment, String state);
  }

  private final Map<String, String> env;
  private LibSystemd lib;
  private boolean disabled;

  SystemdNotify(Map<String, String> env) {
    this.env = Map.copyOf(env);
    this.disabled = !env.containsKey("NOTIFY_SOCKET");
  }

  /** Uses this process's environment, which libsystemd reads too. */
  public static SystemdNotify fromEnvironment() {
    return new SystemdNotify(System.getenv());
  }

  /** Startup is complete (Type=notify units are "active" from here). */
  public void ready() {
    send("READY=1");
  }

  /** A one-line status shown by {@code systemctl status}; line breaks become spaces. */
  public void status(String text) {
    send("STATUS=" + text.replaceAll("[\\r\\n]+", " "));
  }

  /** Resets the watchdog timer; call at least every half {@link #watchdogInterval()}. */
  public void watchdog() {
    send("WATCHDOG=1");
  }

  public void stopping() {
    send("STOPPING=1");
  }

  /**
   * The watchdog interval systemd expects pings within (WATCHDOG_USEC), when it is meant for this
   * process (WATCHDOG_PID absent or ours); empty otherwise.
   */
  public Optional<Duration> watchdogInterval() {
    String pid = env.get("WATCHDOG_PID");
    if (pid != null && !pid.equals(Long.toString(ProcessHandle.current().pid()))) {
      return Optional.empty();
    }
    try {
      long micros = Long.parseLong(env.getOrDefault("WATCHDOG_USEC", ""));
      return micros > 0 ? Optional.of(Duration.ofNanos(micros * 1000)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private synchronized void send(String state) {
    LibSystemd systemd = library();
    if (systemd == null) {
      return;
    }
    int result = systemd.sd_notify(0, state);
    if (result < 0) {
      LOG.warn("sd_notify({}) failed with errno {}; systemd may not see Haven's state.", state,
          -result);
    }
  }

  private LibSystemd library() {
    if (disabled || lib != null) {
      return lib;
    }
    try {
      lib = Native.load("systemd", LibSystemd.class);
    } catch (UnsatisfiedLinkError e) {
      LOG.warn("NOTIFY_SOCKET is set but libsystemd cannot be loaded ({}); not notifying systemd.",
          e.getMessage());
      disabled = true;
    }
    return lib;
  }
}

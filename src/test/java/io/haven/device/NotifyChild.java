package io.haven.device;

/** Run in a child JVM whose NOTIFY_SOCKET the test sets: sends what systemd would receive. */
public final class NotifyChild {
  private NotifyChild() {}

  public static void main(String[] args) {
    SystemdNotify notify = SystemdNotify.fromEnvironment();
    notify.ready();
    notify.status(args[0]);
    notify.watchdog();
    notify.stopping();
  }
}

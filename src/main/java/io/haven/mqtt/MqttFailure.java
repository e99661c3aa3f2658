package io.haven.mqtt;

import io.haven.failure.ExitCode;
import io.haven.failure.ExpectedFailure;
import java.io.IOException;

/**
 * Why MQTT does not work. Only {@link BadConfig} is thrown, when the {@code mqtt:} section is
 * read. Everything found while connecting (an unreadable password file too) is logged once per
 * outage and shown by {@link HavenMqtt#status()}, because a broker problem must never stop a
 * backup.
 */
public abstract sealed class MqttFailure extends IOException implements ExpectedFailure
    permits MqttFailure.BadConfig, MqttFailure.Refused, MqttFailure.Unreachable {

  MqttFailure(String message, Throwable cause) {
    super(message, cause);
  }

  /** The {@code mqtt:} section has an unknown key or a bad value. */
  public static final class BadConfig extends MqttFailure {
    BadConfig(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public int exitCode() {
      return ExitCode.CONFIG;
    }
  }

  /** The broker answered but refused the user name, password or client. */
  public static final class Refused extends MqttFailure {
    Refused(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public int exitCode() {
      return ExitCode.PASSWORD;
    }
  }

  /** The broker could not be reached, or the connection to it broke. */
  public static final class Unreachable extends MqttFailure {
    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public int exitCode() {
      return ExitCode.LOCATION;
    }
  }
}

package io.haven.mqtt;

import java.util.Objects;
import java.util.Optional;

/**
 * The link to the broker, for the API and the web panel.
 *
 * @param connected whether Haven is connected now
 * @param problem why the last attempt failed or the connection broke; empty once connected
 */
public record MqttStatus(boolean connected, Optional<MqttFailure> problem) {
  public MqttStatus {
    Objects.requireNonNull(problem, "problem");
  }
}

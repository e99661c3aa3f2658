package io.haven.mqtt;

import org.eclipse.paho.client.mqttv3.MqttException;

/** Paho's exceptions as messages a user can act on. */
final class Failures {
  private Failures() {}

  static MqttFailure connecting(MqttConfig c, Throwable e) {
    int reason = e instanceof MqttException ? ((MqttException) e).getReasonCode() : -1;
    if (reason == MqttException.REASON_CODE_FAILED_AUTHENTICATION
        || reason == MqttException.REASON_CODE_NOT_AUTHORIZED) {
      return new MqttFailure.Refused("MQTT broker " + c.broker() + " refused "
          + c.user().map(u -> "user '" + u + "'").orElse("an anonymous login")
          + ": bad user name or password, or not authorized. Check mqtt.user and the password in "
          + c.passwordFile().map(Object::toString).orElse("mqtt.password_file (none is set)")
          + ".", e);
    }
    if (reason == MqttException.REASON_CODE_INVALID_CLIENT_ID) {
      return new MqttFailure.Refused("MQTT broker " + c.broker() + " refused the client id 'haven-"
          + c.nodeId() + "'. Set another mqtt.node_id.", e);
    }
    return new MqttFailure.Unreachable("Cannot connect to MQTT broker " + c.broker() + ": "
        + rootCause(e) + ". Check that the broker runs and that mqtt.broker is right.", e);
  }

  static MqttFailure lost(MqttConfig c, Throwable e) {
    return new MqttFailure.Unreachable("Lost the connection to MQTT broker " + c.broker() + ": "
        + rootCause(e) + ".", e);
  }

  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.toString();
  }
}

package io.haven.mqtt;

/**
 * What a Home Assistant button asks of Haven; the agent implements it with the same job system
 * (and the same one-at-a-time rule) as the API. Methods run one at a time on Haven's own command
 * thread, never on the MQTT client's, so a method may block for the whole job. While one runs, at
 * most one further press waits; more presses are logged and dropped. A thrown
 * {@link io.haven.failure.ExpectedFailure} is logged as its message, anything else with its stack.
 */
public interface Commands {
  /** The "Create full backup" button was pressed. */
  void createFullBackup() throws Exception;

  /** The "Verify latest backup" button was pressed. */
  void verifyLatest() throws Exception;
}

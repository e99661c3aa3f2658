package io.haven.cli;

import io.haven.agent.Jobs;
import java.util.logging.Level;
import java.util.logging.LogManager;

/**
 * Who speaks on the terminal. A verb's user reads Haven's own messages: its warnings, no progress
 * chatter, and nothing from the libraries below it (an SSH or SMB library's INFO lines and stack
 * traces would come before the one line that says what to do; their failures reach Haven as
 * exceptions and are worded there). The agent keeps everything from INFO for its journal.
 */
final class Logs {
  private static final String PREFIX = "org.slf4j.simpleLogger.";

  private Logs() {}

  /**
   * Sets the log levels for the verb {@code args} names. Must run before the first logger is made:
   * slf4j-simple reads its levels once.
   */
  static void forCommand(String[] args) {
    // The agent, and anyone who set a level on the java command line, keep theirs.
    if (isAgent(args) || System.getProperty(PREFIX + "defaultLogLevel") != null) {
      return;
    }
    System.setProperty(PREFIX + "defaultLogLevel", "off");
    System.setProperty(PREFIX + "log.io.haven", "warn");
    // A job's failure is the verb's own error message; its journal line would say it twice.
    System.setProperty(PREFIX + "log." + Jobs.class.getName(), "error");
    // java.util.logging (the MQTT client) prints INFO to stderr by default.
    LogManager.getLogManager().reset();
    java.util.logging.Logger.getLogger("").setLevel(Level.OFF);
  }

  /** Whether the verb is {@code agent}: the first word that is neither an option nor its value. */
  static boolean isAgent(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config")) {
        i++;
      } else if (!args[i].startsWith("-")) {
        return args[i].equals("agent");
      }
    }
    return false;
  }
}

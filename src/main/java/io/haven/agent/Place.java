package io.haven.agent;

import java.util.Objects;

/**
 * Where a backup is: this device's backup directory, or a named location. The Supervisor's API
 * and Haven's schedule name the backup directory {@value #LOCAL_NAME}; JSON fields that list
 * places name it null.
 */
public sealed interface Place permits Place.Local, Place.Named {
  /** The name the Supervisor gives the backup directory in keys and schedule targets. */
  String LOCAL_NAME = ".local";

  /** The backup directory. */
  Place LOCAL = new Local();

  /** The place called {@code name}: null, "" and {@value #LOCAL_NAME} are the backup directory. */
  static Place of(String name) {
    return name == null || name.isEmpty() || name.equals(LOCAL_NAME) ? LOCAL : new Named(name);
  }

  /** How keys and schedule targets name it: {@value #LOCAL_NAME} or the location's name. */
  String key();

  /** How the Supervisor's {@code location} fields name it: null for the backup directory. */
  String apiName();

  default boolean isLocal() {
    return this instanceof Local;
  }

  /** This device's backup directory. */
  record Local() implements Place {
    @Override
    public String key() {
      return LOCAL_NAME;
    }

    @Override
    public String apiName() {
      return null;
    }

    @Override
    public String toString() {
      return "the backup directory";
    }
  }

  /** A location registered with {@code haven locations add}. */
  record Named(String name) implements Place {
    public Named {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty() || name.equals(LOCAL_NAME)) {
        throw new IllegalStateException("'" + name + "' is the backup directory, not a location");
      }
    }

    @Override
    public String key() {
      return name;
    }

    @Override
    public String apiName() {
      return name;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}

package io.haven.tree;

/**
 * Where a long job reports how far it is. Called from the working thread; implementations must
 * be cheap (they are called for every buffer written).
 */
public interface Progress {
  Progress NONE = new Progress() {};

  /** A new stage starts ("home_assistant", "folders", "finishing_file"). */
  default void stage(String stage) {}

  /**
   * The part ("homeassistant", "media", an add-on's slug) now read or written, so that a person
   * sees "Backing up Media" rather than the stage's name.
   */
  default void part(String id) {}

  /** Total bytes the job expects to read, once known. */
  default void total(long bytes) {}

  /** {@code bytes} more were read or written. */
  default void advance(long bytes) {}
}

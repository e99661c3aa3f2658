package io.haven.device;

import java.io.IOException;

/** One way of showing a status on an LED. Implementations may fail; StatusLed absorbs that. */
interface Light {
  void show(StatusLed.Status status) throws IOException;

  /** Advances a blink pattern by one tick; lights that the kernel blinks ignore it. */
  default void tick() {}

  /** Leaves the LED as it was found, where that is known. */
  default void close() throws IOException {}
}

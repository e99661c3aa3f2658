package io.haven.device;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;

/**
 * An LED on a GPIO pin, driven through Pi4J. A GPIO pin cannot blink by itself, so each status is
 * a pattern of ticks (one tick = {@link #TICK_MILLIS}) that a timer thread steps through.
 */
final class GpioLight implements Light {
  static final long TICK_MILLIS = 100;

  /** Steady on, steady off, 1 Hz (working) and 5 Hz (error), one entry a tick. */
  private static final boolean[] ON = {true};
  private static final boolean[] DARK = {false};
  private static final boolean[] SLOW =
      {true, true, true, true, true, false, false, false, false, false};
  private static final boolean[] FAST = {true, false};

  private final DigitalOutput pin;
  private boolean[] pattern = DARK;
  private int step;

  GpioLight(Context pi4j, int address) {
    this.pin = pi4j.create(DigitalOutput.newConfigBuilder(pi4j)
        .id("haven-status-led")
        .name("Haven status LED")
        .address(address)
        .initial(DigitalState.LOW)
        .shutdown(DigitalState.LOW));
  }

  @Override
  public synchronized void show(StatusLed.Status status) {
    pattern = patternOf(status);
    step = 0;
    apply();
  }

  @Override
  public synchronized void tick() {
    step = (step + 1) % pattern.length;
    apply();
  }

  @Override
  public synchronized void close() {
    pin.low();
  }

  private void apply() {
    pin.state(pattern[step] ? DigitalState.HIGH : DigitalState.LOW);
  }

  private static boolean[] patternOf(StatusLed.Status status) {
    switch (status) {
      case IDLE:
        return ON;
      case WORKING:
        return SLOW;
      case ERROR:
        return FAST;
      default:
        return DARK;
    }
  }
}

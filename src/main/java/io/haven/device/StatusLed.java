package io.haven.device;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows Haven's state on an LED: steady on when idle, slow blink while working, fast blink on an
 * error, dark when off. An LED that is missing or fails is never a reason for a backup to fail:
 * the first problem is logged once and the LED is ignored from then on.
 */
public final class StatusLed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusLed.class);

  /** What the LED shows. */
  public enum Status {
    IDLE,
    WORKING,
    ERROR,
    OFF
  }

  private final String describe;
  private final ScheduledExecutorService ticker;
  private final Context pi4j;
  private Light light;

  StatusLed(Light light, String describe, ScheduledExecutorService ticker, Context pi4j) {
    this.light = light;
    this.describe = describe;
    this.ticker = ticker;
    this.pi4j = pi4j;
  }

  /**
   * Opens the LED {@code config} names below {@code root}; GPIO uses Pi4J's automatic context.
   * Never fails: an LED that cannot be opened is logged and the returned one shows nothing.
   */
  public static StatusLed open(LedConfig config, Path root) {
    switch (config.kind()) {
      case SYSFS:
        return openSysfs(new SysTree(root), config.ledName());
      case GPIO:
        return openGpio(config.pin());
      default:
        return none();
    }
  }

  /** An LED that shows nothing. */
  public static StatusLed none() {
    return new StatusLed(null, "no LED", null, null);
  }

  /** Shows {@code status}; a failure is logged once and turns the LED off for good. */
  public synchronized void show(Status status) {
    if (light == null) {
      return;
    }
    try {
      light.show(status);
    } catch (IOException | RuntimeException e) {
      giveUp("showing " + status, e);
    }
  }

  /** Puts the LED back as it was found and stops its timer. */
  @Override
  public synchronized void close() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    try {
      if (light != null) {
        light.close();
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("closing status LED {}", describe, e);
    } finally {
      light = null;
      if (pi4j != null) {
        pi4j.shutdown();
      }
    }
  }

  @Override
  public String toString() {
    return "StatusLed(" + describe + ")";
  }

  private synchronized void tick() {
    if (light == null) {
      return;
    }
    try {
      light.tick();
    } catch (RuntimeException e) {
      giveUp("blinking", e);
    }
  }

  private void giveUp(String doing, Exception e) {
    LOG.warn("Status LED {} failed while {}: {}. Haven goes on without it.", describe, doing,
        e.toString());
    light = null;
  }

  private static StatusLed openSysfs(SysTree sys, String name) {
    try {
      return new StatusLed(SysfsLight.open(sys, name), "sysfs LED " + name, null, null);
    } catch (IOException | RuntimeException e) {
      LOG.warn("No status LED: {}. Haven goes on without it.", e.getMessage());
      return none();
    }
  }

  private static StatusLed openGpio(int pin) {
    Context context = null;
    try {
      context = Pi4J.newAutoContext();
      return withTicker(new GpioLight(context, pin), "GPIO " + pin, context);
    } catch (RuntimeException | LinkageError e) {
      // Pi4J throws unchecked exceptions (and native LinkageErrors off a Pi) when no board is found.
      LOG.warn("No status LED on GPIO {}: {}. Haven goes on without it.", pin, e.toString());
      if (context != null) {
        context.shutdown();
      }
      return none();
    }
  }

  /** A GPIO LED, with a daemon thread stepping its blink pattern. */
  static StatusLed withTicker(Light light, String describe, Context context) {
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "haven-status-led");
      thread.setDaemon(true);
      return thread;
    });
    StatusLed led = new StatusLed(light, describe, ticker, context);
    ticker.scheduleAtFixedRate(led::tick, GpioLight.TICK_MILLIS, GpioLight.TICK_MILLIS,
        TimeUnit.MILLISECONDS);
    return led;
  }
}

package io.haven.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The GPIO LED against Pi4J's mock provider; blinking is stepped by hand, one tick at a time. */
class GpioLightTest {
  private Context pi4j;
  private GpioLight light;
  private DigitalOutput pin;

  @BeforeEach
  void openMockBoard() {
    pi4j = Pi4J.newContextBuilder()
        .add(new MockPlatform())
        .add(MockDigitalOutputProvider.newInstance())
        .build();
    light = new GpioLight(pi4j, 17);
    pin = pi4j.registry().get("haven-status-led", DigitalOutput.class);
  }

  @AfterEach
  void closeMockBoard() {
    pi4j.shutdown();
  }

  /** The pin's state now and after each of the next {@code ticks} ticks. */
  private List<DigitalState> states(int ticks) {
    List<DigitalState> states = new ArrayList<>(List.of(pin.state()));
    for (int i = 0; i < ticks; i++) {
      light.tick();
      states.add(pin.state());
    }
    return states;
  }

  @Test
  void pinIsTheConfiguredBcmNumberAndStartsDark() {
    assertEquals(17, pin.address().intValue());
    assertEquals(DigitalState.LOW, pin.state());
  }

  @Test
  void idleIsSteadyOnAndOffIsSteadyDark() {
    light.show(StatusLed.Status.IDLE);
    assertEquals(List.of(DigitalState.HIGH, DigitalState.HIGH, DigitalState.HIGH), states(2));
    light.show(StatusLed.Status.OFF);
    assertEquals(List.of(DigitalState.LOW, DigitalState.LOW, DigitalState.LOW), states(2));
  }

  @Test
  void workingBlinksSlowlyAndErrorBlinksFast() {
    light.show(StatusLed.Status.WORKING);
    List<DigitalState> slow = states(10);
    assertEquals(5, slow.subList(0, 10).stream().filter(DigitalState.HIGH::equals).count());
    assertEquals(List.of(DigitalState.HIGH, DigitalState.LOW), List.of(slow.get(4), slow.get(5)));
    assertEquals(DigitalState.HIGH, slow.get(10), "the pattern repeats");

    light.show(StatusLed.Status.ERROR);
    assertEquals(List.of(DigitalState.HIGH, DigitalState.LOW, DigitalState.HIGH, DigitalState.LOW),
        states(3));
  }

  @Test
  void closeLeavesThePinDark() {
    light.show(StatusLed.Status.IDLE);
    light.close();
    assertEquals(DigitalState.LOW, pin.state());
  }
}

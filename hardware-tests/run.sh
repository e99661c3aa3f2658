#!/usr/bin/env bash
# Real-board checks for io.haven.device. Each check prints PASS, FAIL or SKIP with its reason.
# Exits 0 when nothing FAILed (skips included), 1 otherwise. Run as root on the board to check
# the LEDs; the probe itself runs as any user.
set -uo pipefail
cd "$(dirname "$0")/.."

build=${HAVEN_BUILD:-target-hw}
failed=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1"; failed=1; }
skip() { echo "SKIP $1"; }

echo "building into $build ..."
mkdir -p "$build"
if ! mvn -q -B -Dstyle.color=never -Dhaven.build="$build" -DskipTests compile \
    dependency:build-classpath -Dmdep.outputFile="$build/classpath.txt" \
    -DincludeScope=runtime >"$build/build.log" 2>&1; then
  cat "$build/build.log"; echo "FAIL build"; exit 1
fi
cp="$build/classes:$(cat "$build/classpath.txt")"
probe() { java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" io.haven.device.DeviceProbe "$@"; }

# 1. The probe reads the real system and prints its facts.
json=$(probe / "${HAVEN_DATA:-/data}" "${HAVEN_BACKUP:-/backup}") && [[ $json == *'"board"'* ]] \
  && { pass "probe: $(grep -m1 '"model"' <<<"$json" | tr -s ' ')"; echo "$json"; } \
  || fail "probe: DeviceProbe did not print device facts"

# 2. On a Raspberry Pi (or Yellow/Green), the device tree names the board.
if [[ ! -r /proc/device-tree/model ]]; then
  reason="no /proc/device-tree/model: not a Raspberry Pi"
  skip "board model: $reason"; skip "eMMC detection: $reason"
  skip "sysfs LED: $reason"; skip "GPIO LED: $reason"
  exit $failed
fi
model=$(tr -d '\0' </proc/device-tree/model)
[[ $json == *"\"model\" : \"$model\""* ]] && pass "board model: $model" || fail "board model: kernel says '$model'"

# 3. eMMC: every mmcblk whose kernel type is MMC must be reported as EMMC.
emmc=""
for d in /sys/block/mmcblk[0-9]; do
  [[ -r $d/device/type && $(cat "$d/device/type") == MMC ]] && emmc="$emmc ${d##*/}"
done
if [[ -z $emmc ]]; then
  skip "eMMC detection: no mmcblk device of type MMC (SD card or no MMC at all)"
else
  for name in $emmc; do
    grep -A1 "\"name\" : \"$name\"" <<<"$json" | grep -q '"kind" : "EMMC"' \
      && pass "eMMC detection: $name is EMMC" || fail "eMMC detection: $name not reported as EMMC"
  done
fi

# 4. sysfs LED (the Pi's ACT LED): blinks by the kernel's timer, then gets its trigger back.
led=${HAVEN_HW_SYSFS_LED:-ACT}
[[ -d /sys/class/leds/$led ]] || led=led0
if [[ ! -d /sys/class/leds/$led ]]; then
  skip "sysfs LED: no /sys/class/leds/ACT or led0"
elif [[ $EUID -ne 0 ]]; then
  skip "sysfs LED: writing /sys/class/leds/$led needs root"
else
  before=$(sed 's/.*\[\(.*\)\].*/\1/' "/sys/class/leds/$led/trigger")
  java -Dhaven.ledSeconds=3 -cp "$cp" io.haven.device.DeviceProbe --led sysfs "$led" working &
  pid=$!; sleep 1
  during=$(sed 's/.*\[\(.*\)\].*/\1/' "/sys/class/leds/$led/trigger")
  wait $pid
  after=$(sed 's/.*\[\(.*\)\].*/\1/' "/sys/class/leds/$led/trigger")
  [[ $during == timer && $after == "$before" ]] \
    && pass "sysfs LED: $led blinked (timer) and got '$before' back" \
    || fail "sysfs LED: $led trigger before='$before' during='$during' after='$after'"
fi

# 5. GPIO LED: needs an LED wired to a pin the tester names; watch it blink for 5 s.
if [[ -z ${HAVEN_HW_LED_PIN:-} ]]; then
  skip "GPIO LED: set HAVEN_HW_LED_PIN=<BCM pin> with an LED wired to it"
else
  out=$(probe --led gpio "$HAVEN_HW_LED_PIN" working 2>&1)
  [[ $out == *"StatusLed(GPIO $HAVEN_HW_LED_PIN)"* ]] \
    && pass "GPIO LED: pin $HAVEN_HW_LED_PIN driven for 5 s (did it blink at 1 Hz?)" \
    || fail "GPIO LED: Pi4J could not drive pin $HAVEN_HW_LED_PIN: $out"
fi

exit $failed

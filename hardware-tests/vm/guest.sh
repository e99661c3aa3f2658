#!/bin/bash
# Runs inside the VM at every boot (vmtest.service); prints "VMTEST ..." lines on the console,
# which vm-boot.sh reads. Boot 1 installs the package and reboots; boot 2 checks the service and
# powers off. Every wait is bounded, and a failed check is a FAIL line, not an early exit, so one
# run shows every result.
set -u
stage_file=/var/lib/vmtest/stage
mkdir -p /var/lib/vmtest
stage=$(cat "$stage_file" 2>/dev/null || echo 1)
# Every haven command starts a JVM; under TCG the C1 compiler alone starts it sooner.
export HAVEN_JAVA_OPTS="-Xmx128m -XX:TieredStopAtLevel=1"
say() { echo "VMTEST $*"; }
ok() { say "ok $*"; }
bad() { say "FAIL $*"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
prop() { systemctl show -p "$1" --value haven; }
wait_active() {
  local _
  for _ in $(seq 1 "$1"); do
    [[ $(systemctl is-active haven) == active ]] && return 0
    sleep 1
  done
  return 1
}
# The service's last journal lines, when a check about it failed.
journal_tail() { journalctl -u haven -n 25 --no-pager -o cat | sed 's/^/VMTEST journal /'; }
active_or_journal() {
  wait_active "$1" && return 0
  journal_tail
  systemctl status haven --no-pager | sed 's/^/VMTEST status /'
  return 1
}
token() { cat /etc/haven/api-token; }
api() { curl -fsS -m 60 -H "Authorization: Bearer $(token)" "http://127.0.0.1:8470$1"; }
backup_names() { api /backups | grep -o '"name":"[^"]*"'; }
uptime_s() { cut -d. -f1 /proc/uptime; }
# A systemd time span ("1min 30s", "45s", "2min") in seconds.
seconds() {
  local t=0
  [[ $1 =~ ([0-9]+)min ]] && t=$((BASH_REMATCH[1] * 60))
  [[ $1 =~ ([0-9]+)s$ ]] && t=$((t + BASH_REMATCH[1]))
  echo "$t"
}

if [[ $stage == 1 ]]; then
  say "boot 1 at $(uptime_s) s of uptime: installing the package"
  mkdir -p /data/config /data/share
  echo "homeassistant: {name: before}" >/data/config/configuration.yaml
  # Home Assistant's database: the backup copies it through sqlite-jdbc's native library.
  cp /opt/vmtest/home-assistant_v2.db /data/config/
  start=$SECONDS
  # dpkg starts the service and waits for its READY.
  if timeout 400 dpkg -i /opt/vmtest/haven.deb; then ok "dpkg -i ($((SECONDS - start)) s)"; else bad "dpkg -i"; fi
  check "haven.service active after install" active_or_journal 120
  check "haven.service enabled" systemctl is-enabled --quiet haven
  # The API listens on every address of the VM, so the host reaches it through its forwarded
  # 127.0.0.1 port (qemu's user network reaches only the VM's own address); Haven refuses that
  # unless the config says it is meant.
  sed -i 's/^api_listen: .*/api_listen: 0.0.0.0:8470/' /etc/haven/haven.yaml
  echo 'api_allow_remote: true' >>/etc/haven/haven.yaml
  echo 2 >"$stage_file"
  say "rebooting"
  systemctl reboot
  exit 0
fi

say "boot 2 at $(uptime_s) s of uptime: checks"
if ! active_or_journal 300; then
  bad "haven.service active after boot: every other check needs it"
  systemctl poweroff
  exit 0
fi
# When systemd got READY=1, counted from the kernel's start, and how long the unit's start took.
ready_s=$(($(prop ActiveEnterTimestampMonotonic) / 1000000))
starting_s=$(( ($(prop ActiveEnterTimestampMonotonic) - $(prop InactiveExitTimestampMonotonic)) / 1000000 ))
ok "haven.service active after boot (READY at $ready_s s of uptime, $starting_s s after its start began)"
say "info $(systemctl show -p Type -p NotifyAccess -p WatchdogUSec -p ActiveState -p SubState haven | tr '\n' ' ')"
status=$(prop StatusText)
say "info StatusText=$status"
# Type=notify: "active" means systemd got READY=1; StatusText is only ever set by STATUS=.
check "READY and STATUS seen by systemd (StatusText=$status)" test -n "$status"
check "API answers with the token file's token" bash -c "$(declare -f token api); api /backups | grep -q '\"result\":\"ok\"'"
code=$(curl -s -m 60 -o /dev/null -w '%{http_code}' http://127.0.0.1:8470/backups)
check "API refuses a call without the token (HTTP $code)" test "$code" = 401

# The host makes a backup named from-host through its forwarded port; this waits for it.
say "token $(token)"
say "host-check"
for _ in $(seq 1 150); do
  backup_names | grep -q '"name":"from-host"' && break
  sleep 1
done
check "the host's backup through its forwarded port is listed" bash -c "$(declare -f token api backup_names); backup_names | grep -q from-host"

start=$SECONDS
out=$(timeout 300 haven backups new --name through-socket 2>&1); rc=$?
check "backup through the socket: haven backups new (rc $rc: $out, $((SECONDS - start)) s)" test $rc = 0
slug=$out
start=$SECONDS
out=$(timeout 300 ha backups new --name x 2>&1); rc=$?
check "backup through ha backups new --name x (rc $rc: $out, $((SECONDS - start)) s)" test $rc = 0
names=$(backup_names | tr '\n' ' ')
check "both are listed ($names)" bash -c "grep -q '\"x\"' <<<'$names' && grep -q '\"through-socket\"' <<<'$names'"

echo "homeassistant: {name: after}" >/data/config/configuration.yaml
rm /data/config/home-assistant_v2.db
start=$SECONDS
out=$(timeout 300 haven backups restore "$slug" 2>&1); rc=$?
say "info restore: $(echo "$out" | tail -2 | tr '\n' ' ')"
check "restore of through-socket (rc $rc, $((SECONDS - start)) s)" test $rc = 0
check "the restored configuration.yaml is the one backed up" grep -q before /data/config/configuration.yaml
check "the restored database is the one backed up" cmp -s /opt/vmtest/home-assistant_v2.db /data/config/home-assistant_v2.db

# The watchdog: a frozen JVM sends no WATCHDOG=1, so systemd must fire within WatchdogSec of the
# last ping (at most WatchdogSec after the freeze), kill it and start a new one.
watchdog_s=$(seconds "$(prop WatchdogUSec)")
pid=$(prop MainPID)
restarts=$(prop NRestarts)
frozen=$(date +%s)
kill -STOP "$pid"
# While the watchdog runs down: what three directives do under this systemd, in one-shot units
# (systemd-run would need D-Bus, which this VM does not have). The unit leaves PrivateDevices
# and MemoryDenyWriteExecute out; ProtectClock is in, as since systemd 252 it no longer closes
# every other device.
probes=("PrivateDevices=yes|head -c 1 /dev/vda" "ProtectClock=yes|head -c 1 /dev/vda"
  "MemoryDenyWriteExecute=yes|java -version")
for i in "${!probes[@]}"; do
  printf '[Service]\nType=oneshot\n%s\nExecStart=/bin/sh -c "%s >/dev/null"\n' \
    "${probes[i]%%|*}" "${probes[i]#*|}" >"/run/systemd/system/vmtest-probe$i.service"
done
systemctl daemon-reload
for i in "${!probes[@]}"; do
  timeout 120 systemctl start "vmtest-probe$i" >/dev/null 2>&1
  said=$(journalctl -u "vmtest-probe$i" -o cat --no-pager | grep -v -e '^Start' -e '^Finish' \
    -e '^vmtest' -e 'Failed' -e 'Main process' -e 'Deactivated' | head -2 | tr '\n' ' ')
  say "info with ${probes[i]%%|*}, '${probes[i]#*|}' in a service: $(systemctl show -p Result --value "vmtest-probe$i"); $said"
done
now=$pid
for _ in $(seq 1 $((watchdog_s + 200))); do
  now=$(prop MainPID)
  [[ $now != "$pid" && $now != 0 && $(systemctl is-active haven) == active ]] && break
  sleep 1
done
back=$(($(date +%s) - frozen))
fired=$(journalctl -u haven --since "@$frozen" -o short-unix --no-pager | grep -m1 'Watchdog timeout' | cut -d. -f1)
if [[ -n $fired ]]; then fired_after=$((fired - frozen)); else fired_after=never; fi
say "info after kill -STOP: MainPID $pid -> $now, NRestarts $restarts -> $(prop NRestarts); the watchdog fired after $fired_after s, active again after $back s"
check "the watchdog fired within WatchdogSec=${watchdog_s}s of the freeze (after $fired_after s)" \
  test -n "$fired" -a "${fired_after/never/0}" -le "$((watchdog_s + 2))"
check "the frozen agent was replaced by a new one (PID $pid -> $now, active $back s after the freeze)" \
  test "$now" != "$pid" -a "$now" != 0 -a "$(prop NRestarts)" -gt "$restarts"

# systemctl stop during a backup, last (the watchdog's restart showed the agent starting again):
# SIGTERM cancels the job, which deletes its temporary file. The backup is asked for with curl,
# so no second JVM has to start first.
mv /opt/vmtest/big.bin /data/share/big.bin
before=$(ls -A /backup | sort)
stop_since=$(date +%s)
curl -sS -m 300 -H "Authorization: Bearer $(token)" -H 'Content-Type: application/json' \
  -d '{"name":"big"}' http://127.0.0.1:8470/backups/new/full >/tmp/big.out 2>&1 &
asked=$!
for _ in $(seq 1 240); do
  [[ $(prop StatusText) != idle ]] && break
  sleep 0.5
done
say "info status while backing up: $(prop StatusText)"
start=$SECONDS
timeout 200 systemctl stop haven
stop_s=$((SECONDS - start))
say "info stop took $stop_s s; $(systemctl show -p Result -p ExecMainCode -p ExecMainStatus haven | tr '\n' ' ')"
wait $asked
say "info the backup's answer: $(head -c 300 /tmp/big.out)"
after=$(ls -A /backup | sort)
cancelled=$(journalctl -u haven --since "@$stop_since" --no-pager -o cat | grep -m1 -i cancel)
check "the stopped backup was cancelled, not finished ($cancelled)" test -n "$cancelled"
check "stop during a backup leaves no archive or temporary file in /backup" test "$before" = "$after"
check "stop exits cleanly (Result=$(prop Result), exit status $(prop ExecMainStatus), $stop_s s)" \
  test "$(prop Result)" = success -a "$stop_s" -lt "$(seconds "$(prop TimeoutStopUSec)")"
rm -f /data/share/big.bin

journal=$(journalctl -u haven -b --no-pager -o cat)
say "info journal of this boot: $(wc -l <<<"$journal") lines; Haven's first: $(grep -m1 -v -e '^Start' -e '^Stop' <<<"$journal")"
check "the journal holds Haven's lines" grep -q "serving" <<<"$journal"
traces=$(grep -c -E '^\s+at [a-zA-Z0-9_.$]+\(|Exception in thread|^Caused by:' <<<"$journal")
check "the journal holds no stack trace ($traces lines)" test "$traces" = 0
[[ $traces != 0 ]] && grep -m5 -B2 -E '^\s+at ' <<<"$journal" | sed 's/^/VMTEST trace /'
say "info $(systemd-analyze security haven --no-pager 2>/dev/null | tail -1)"
say "done at $(uptime_s) s of uptime"
systemctl poweroff

#!/bin/bash
# Runs inside the VM at every boot (vmtest.service); prints "VMTEST ..." lines on the console.
# Boot 1 installs the package and reboots; boot 2 checks the service and powers off.
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
wait_active() {
  for _ in $(seq 1 "$1"); do
    [[ $(systemctl is-active haven) == active ]] && return 0
    sleep 1
  done
  return 1
}
# The service's last journal lines, when a check about it failed.
journal_tail() { journalctl -u haven -n 25 --no-pager -o cat | sed 's/^/VMTEST journal /'; }
active_or_journal() { wait_active "$1" || { journal_tail; systemctl status haven --no-pager | sed 's/^/VMTEST status /'; return 1; }; }
token() { cat /etc/haven/api-token; }
api() { curl -fsS -H "Authorization: Bearer $(token)" "http://127.0.0.1:8470$1"; }

if [[ $stage == 1 ]]; then
  say "boot 1: installing the package"
  mkdir -p /data/config /data/share
  echo "homeassistant: {name: before}" >/data/config/configuration.yaml
  start=$SECONDS
  if dpkg -i /opt/vmtest/haven.deb; then ok "dpkg -i ($((SECONDS - start)) s)"; else bad "dpkg -i"; fi
  check "haven.service active after install" active_or_journal 300
  check "haven.service enabled" systemctl is-enabled --quiet haven
  # The API listens on every address of the VM only, so the host reaches it through its
  # forwarded 127.0.0.1 port.
  sed -i 's/^api_listen: .*/api_listen: 0.0.0.0:8470/' /etc/haven/haven.yaml
  echo 2 >"$stage_file"
  say "rebooting"
  systemctl reboot
  exit 0
fi

say "boot 2: checks"
check "haven.service active after boot" active_or_journal 300
say "info $(systemctl show -p Type -p NotifyAccess -p WatchdogUSec -p ActiveState -p SubState haven | tr '\n' ' ')"
status=$(systemctl show -p StatusText --value haven)
say "info StatusText=$status"
check "READY and STATUS seen by systemd" test -n "$status"
check "API answers with the token file's token" bash -c "$(declare -f token api); api /backups | grep -q '\"result\":\"ok\"'"
code=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8470/backups)
check "API refuses without a token ($code)" test "$code" = 401
say "token $(token)"
say "host-check"
sleep 25

out=$(haven backups new --name through-socket 2>&1); rc=$?
check "backup through the socket (rc $rc: $out)" test $rc = 0
slug=$out
out=$(ha backups new --name x 2>&1); rc=$?
check "ha backups new --name x (rc $rc: $out)" test $rc = 0
check "both listed" bash -c "haven backups | grep -q ' x\$' && haven backups | grep -q through-socket"
echo "homeassistant: {name: after}" >/data/config/configuration.yaml
out=$(haven backups restore "$slug" 2>&1); rc=$?
say "info restore: $(echo "$out" | tail -3 | tr '\n' ' ')"
check "restore (rc $rc)" test $rc = 0
check "restored file is back" grep -q before /data/config/configuration.yaml

pid=$(systemctl show -p MainPID --value haven)
restarts=$(systemctl show -p NRestarts --value haven)
kill -STOP "$pid"
start=$SECONDS
for _ in $(seq 1 200); do
  now=$(systemctl show -p MainPID --value haven)
  [[ $now != "$pid" && $now != 0 && $(systemctl is-active haven) == active ]] && break
  sleep 1
done
elapsed=$((SECONDS - start))
say "info after kill -STOP: MainPID $pid -> $now, NRestarts $restarts -> $(systemctl show -p NRestarts --value haven), $elapsed s"
check "frozen agent restarted by the watchdog ($elapsed s)" test "$now" != "$pid" -a "$now" != 0

head -c 300M /dev/urandom >/data/share/big.bin
before=$(ls /backup | sort)
haven backups new --name big >/tmp/big.out 2>&1 &
cli=$!
for _ in $(seq 1 60); do
  [[ -n $(systemctl show -p StatusText --value haven | grep -i -e backing -e backup -e '%') ]] && break
  sleep 0.5
done
say "info status while backing up: $(systemctl show -p StatusText --value haven)"
sleep 2
start=$SECONDS
systemctl stop haven
say "info stop took $((SECONDS - start)) s; $(systemctl show -p Result -p ExecMainStatus -p ExecMainCode haven | tr '\n' ' ')"
wait $cli; clirc=$?
say "info the backup's command: rc $clirc: $(tail -2 /tmp/big.out | tr '\n' ' ')"
after=$(ls /backup | sort)
check "stop during a backup leaves no archive or temporary file" test "$before" = "$after"
check "stop exits cleanly" test "$(systemctl show -p Result --value haven)" = success
systemctl start haven
check "starts again" wait_active 180
rm -f /data/share/big.bin

journal=$(journalctl -u haven --no-pager -o cat)
say "info journal: $(echo "$journal" | wc -l) lines; first: $(echo "$journal" | grep -m1 -i haven)"
check "journal holds Haven's lines" grep -q "serving" <<<"$journal"
traces=$(grep -c -E '^\s+at [a-zA-Z0-9_.$]+\(|Exception in thread' <<<"$journal")
check "journal holds no stack trace ($traces lines)" test "$traces" = 0
[[ $traces != 0 ]] && grep -m5 -B2 -E '^\s+at ' <<<"$journal" | sed 's/^/VMTEST trace /'
say "info $(systemd-analyze security haven --no-pager 2>/dev/null | tail -1)"
say "done"
systemctl poweroff

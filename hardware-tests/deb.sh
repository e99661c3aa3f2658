#!/usr/bin/env bash
# Installs target/haven_<version>_all.deb on this machine with dpkg, runs the agent from it
# (token, API, a backup through the socket and through `ha backups new`), removes it (config
# kept), purges it (config gone), and checks that a real /usr/bin/ha is never replaced.
# Needs root and dpkg; this machine needs no running systemd (the maintainer scripts cope).
# Leaves the machine as it found it: /data and /backup are removed only when it made them.
set -euo pipefail
cd "$(dirname "$0")/.."
skip() { echo "SKIP deb: $*"; [[ -n "${HAVEN_TEST_DISALLOW_SKIP:-}" ]] && exit 1; exit 0; }
[[ $(id -u) == 0 ]] || skip "needs root to install a package"
command -v dpkg >/dev/null || skip "needs dpkg (a Debian system)"
deb=$(ls target/haven_*_all.deb 2>/dev/null | head -1)
[[ -n "$deb" ]] || { echo "FAIL deb: no target/haven_*_all.deb; run mvn package" >&2; exit 1; }
dpkg -s haven >/dev/null 2>&1 && { echo "FAIL deb: haven is already installed here" >&2; exit 1; }

made=()
for d in /data /backup; do [[ -e $d ]] || made+=("$d"); done
agent=
cleanup() {
  [[ -n "$agent" ]] && kill "$agent" 2>/dev/null && wait "$agent" 2>/dev/null
  dpkg -P haven >/dev/null 2>&1 || true
  [[ -f /usr/bin/ha.deb-test ]] && rm -f /usr/bin/ha /usr/bin/ha.deb-test
  for d in "${made[@]}"; do rm -rf "$d"; done
}
trap cleanup EXIT
fail() { echo "FAIL deb: $*" >&2; exit 1; }

if command -v lintian >/dev/null; then
  lint=0; lintian --fail-on error "$deb" >/tmp/haven-lintian.txt 2>&1 || lint=$?
  grep -v '^running with root' /tmp/haven-lintian.txt || true
  ((lint == 0)) || fail "lintian reports errors"
  echo "ok lintian: no errors"
else
  skip "needs lintian"
fi

dpkg -i "$deb" >/dev/null
for f in /usr/lib/haven/haven.jar /usr/bin/haven /lib/systemd/system/haven.service /etc/haven/haven.yaml; do
  [[ -e $f ]] || fail "$f was not installed"
done
[[ -d /data && -d /backup ]] || fail "postinst did not make /data and /backup"
[[ $(readlink -f /usr/bin/ha) == /usr/lib/haven/ha ]] || fail "/usr/bin/ha is not Haven's wrapper"
[[ -L /etc/systemd/system/multi-user.target.wants/haven.service ]] || fail "haven.service not enabled"
echo "ok install: files, /data, /backup, ha, enabled"

mkdir -p /data/config && echo "homeassistant: {}" >/data/config/configuration.yaml
/usr/bin/haven agent >/tmp/haven-deb-agent.log 2>&1 & agent=$!
for _ in $(seq 60); do [[ -S /run/haven/haven.sock ]] && break; sleep 1; done
[[ -S /run/haven/haven.sock ]] || fail "the agent did not serve its socket: $(tail -5 /tmp/haven-deb-agent.log)"
token=$(cat /etc/haven/api-token)
curl -fsS -H "Authorization: Bearer $token" http://127.0.0.1:8470/backups | grep -q '"result":"ok"' \
  || fail "the API did not answer with the token file's token"
[[ $(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8470/backups) == 401 ]] || fail "no token, no 401"
haven backups new --name through-socket >/dev/null || fail "haven backups new failed"
ha backups new --name x >/dev/null || fail "ha backups new --name x failed"
haven backups | grep -q ' x$' && haven backups | grep -q through-socket || fail "backups not listed"
kill "$agent"; wait "$agent" || true; agent=
echo "ok run: token $(stat -c %a /etc/haven/api-token), API, socket backup, ha backups new"

dpkg -r haven >/dev/null
[[ -f /etc/haven/haven.yaml && -f /etc/haven/api-token ]] || fail "remove did not keep /etc/haven"
[[ ! -e /usr/lib/haven/haven.jar && ! -e /usr/bin/ha ]] || fail "remove left files"
ls /backup/*.tar >/dev/null || fail "remove touched the backups"
dpkg -P haven >/dev/null
[[ ! -e /etc/haven ]] || fail "purge left /etc/haven"
echo "ok remove keeps the config, purge deletes it, backups untouched"

# A real ha (another package's, or the user's) stays: the wrapper is only an alternative.
echo '#!/bin/sh' >/usr/bin/ha && cp /usr/bin/ha /usr/bin/ha.deb-test
dpkg -i "$deb" >/dev/null
cmp -s /usr/bin/ha /usr/bin/ha.deb-test && [[ ! -L /usr/bin/ha ]] || fail "a real /usr/bin/ha was replaced"
dpkg -P haven >/dev/null
cmp -s /usr/bin/ha /usr/bin/ha.deb-test || fail "removing haven touched a real /usr/bin/ha"
echo "ok a real /usr/bin/ha is left alone"
echo "PASS deb"

#!/usr/bin/env python3
"""Data roots of the two shapes gendata.py does not make yet, and a recorder database state.

usage: shape-root.py small-files ROOT --scale MB   many small files (4 KB on average)
       shape-root.py huge-files ROOT --scale MB    four large media files
       shape-root.py db ROOT wal|stopped           the recorder database as Home Assistant leaves it

small-files: .storage, custom_components, Zigbee2MQTT and Node-RED style JSON and Python text,
SCALE MB in about SCALE * 256 files (100k files at --scale 400), with a 16 MB recorder database.
huge-files: media/ holds four files of SCALE/4 MB (camera recordings: incompressible bytes), with
a 16 MB recorder database. db: converts ROOT's config/home-assistant_v2.db to WAL mode; "wal"
leaves it as a running Home Assistant does (with a -wal file of recent writes), "stopped" as one
stopped cleanly (no -wal).
"""
import json, os, random, sqlite3, subprocess, sys

WORDS = ("sensor light switch automation state entity_id friendly_name unit_of_measurement "
         "temperature humidity battery linkquality last_seen zigbee2mqtt node red flow payload "
         "topic homeassistant device_class icon mdi true false null on off").split()


def text(rng, size):
    out, n = [], 0
    while n < size:
        w = rng.choice(WORDS)
        out.append(w)
        n += len(w) + 1
    return (" ".join(out))[:size].encode()


def json_blob(rng, size):
    items, n = [], 0
    while n < size:
        item = {"entity_id": f"sensor.{rng.choice(WORDS)}_{rng.randrange(10000)}",
                "state": str(rng.random()), "attributes": {"unit": rng.choice(WORDS)}}
        s = json.dumps(item)
        items.append(item)
        n += len(s) + 2
    return json.dumps({"version": 1, "data": items}, indent=1).encode()[:size]


def database(path, mb, rng):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    c = sqlite3.connect(path)
    c.execute("CREATE TABLE states (state_id INTEGER PRIMARY KEY, entity_id TEXT, state TEXT,"
              " attributes TEXT, last_updated REAL)")
    rows = mb * 1024 * 1024 // 200
    c.executemany("INSERT INTO states VALUES (NULL, ?, ?, ?, ?)",
                  ((f"sensor.{rng.choice(WORDS)}", str(rng.random()),
                    text(rng, 120).decode(), 1.7e9 + i) for i in range(rows)))
    c.commit()
    c.close()


def small_files(root, scale, rng):
    count = scale * 256
    dirs = ["config/.storage", "config/custom_components/hacs", "config/custom_components/alexa",
            "addons/data/45df7312_zigbee2mqtt", "share/node-red", "config/packages"]
    for i in range(count):
        d = f"{root}/{dirs[i % len(dirs)]}/d{i // 500:03d}"
        if i % 500 < len(dirs):
            os.makedirs(d, exist_ok=True)
        size = max(64, int(rng.expovariate(1 / 4096)))
        body = json_blob(rng, size) if i % 2 else text(rng, size)
        with open(f"{d}/f{i:06d}{'.json' if i % 2 else '.py'}", "wb") as f:
            f.write(body)
    for p in ["ssl", "media", "addons/local"]:
        os.makedirs(f"{root}/{p}", exist_ok=True)
    with open(f"{root}/config/configuration.yaml", "w") as f:
        f.write("homeassistant:\n  name: bench\nrecorder:\n  purge_keep_days: 10\n")
    database(f"{root}/config/home-assistant_v2.db", 16, rng)


def huge_files(root, scale, rng):
    os.makedirs(f"{root}/media/frigate", exist_ok=True)
    for i in range(4):
        subprocess.run(["head", "-c", f"{scale // 4}M", "/dev/urandom"], check=True,
                       stdout=open(f"{root}/media/frigate/recording-{i}.mp4", "wb"))
    for p in ["share", "ssl", "addons/local"]:
        os.makedirs(f"{root}/{p}", exist_ok=True)
    os.makedirs(f"{root}/config", exist_ok=True)
    with open(f"{root}/config/configuration.yaml", "w") as f:
        f.write("homeassistant:\n  name: bench\n")
    database(f"{root}/config/home-assistant_v2.db", 16, rng)


def db_state(root, state):
    db = f"{root}/config/home-assistant_v2.db"
    for suffix in ("-wal", "-shm", "-journal"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    c = sqlite3.connect(db)
    c.execute("PRAGMA journal_mode=WAL")
    if state == "stopped":
        c.close()
        return
    # Recent writes stay in the WAL while Home Assistant runs: leave without closing.
    c.execute("PRAGMA wal_autocheckpoint=0")
    c.execute("CREATE TABLE IF NOT EXISTS recent (x TEXT)")
    rng = random.Random(7)
    c.executemany("INSERT INTO recent VALUES (?)", ((text(rng, 200).decode(),) for _ in range(20000)))
    c.commit()
    sys.stdout.flush()
    os._exit(0)


def main():
    kind, root = sys.argv[1], sys.argv[2]
    if kind == "db":
        db_state(root, sys.argv[3])
        return
    scale = int(sys.argv[sys.argv.index("--scale") + 1])
    rng = random.Random(1)
    {"small-files": small_files, "huge-files": huge_files}[kind](root, scale, rng)


main()

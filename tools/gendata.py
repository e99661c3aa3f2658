#!/usr/bin/env python3
"""Makes a data root shaped like a Home Assistant appliance's, for Haven's tests and benchmarks.

usage: tools/gendata.py ROOT [--scale MB] [--seed N] [--shape default|small-files|huge-files]
                             [--db wal|rollback|none]

ROOT must not exist. The same arguments give the same files, byte for byte (the SQLite files
aside, whose pages depend on SQLite's version). What it holds:
  config/      configuration YAML, packages, blueprints, custom_components, www, esphome;
               .storage/ registries and auth as JSON; the recorder database
               home-assistant_v2.db with Home Assistant's tables and rows; a log, a TTS cache,
               __pycache__ (left out of backups by Home Assistant's excludes); symlinks
  share/       exports, a deep path of long names, an empty directory
  ssl/         certificate and a private key (mode 600)
  media/       camera snapshots and recordings: incompressible
  addons/      local/<slug>/ (an add-on's source) and data/<slug>/ (add-ons' data)
Shapes (of about MB in total):
  default      a mix: about 35 % database, 30 % media, the rest small and middle-sized files
  small-files  about 80 % in files of 4 KB on average (custom_components, www, Zigbee2MQTT's
               and Node-RED's data): 100,000 files and more at 512 MB
  huge-files   about 90 % in four media files (four of 1 GB at 4600 MB)
--db: wal (default) leaves the database with its -wal and -shm files beside it, as while Home
Assistant runs; rollback leaves a database in rollback-journal mode alone; none leaves it out.
Standard library only.
"""
import argparse
import json
import math
import os
import random
import sqlite3
import sys

MB = 1024 * 1024
# Timestamps start here rather than now, so that two runs write the same bytes.
EPOCH = 1_767_225_600.0  # 2026-01-01T00:00:00Z

WORDS = ("sensor light switch automation trigger state entity_id platform temperature humidity "
         "living_room kitchen bedroom hallway on off brightness service condition action mode "
         "single restart attributes friendly_name unit_of_measurement kWh W °C device_class "
         "template value_template icon mdi:lightbulb zigbee mqtt topic payload retain target "
         "area_id id alias description sequence delay wait_for_trigger for minutes").split()

SHAPES = {
    # share of the scale:  db     media  small  middle  (middle = share exports, logs, add-ons)
    "default":            (0.35, 0.30, 0.15, 0.20),
    "small-files":        (0.08, 0.04, 0.80, 0.08),
    "huge-files":         (0.04, 0.90, 0.02, 0.04),
}


class Root:
    """Writes files below one directory; counts what it wrote."""

    def __init__(self, path, rng):
        self.path = path
        self.rng = rng
        self.files = 0
        self.bytes = 0
        self._dirs = set()
        self._lines = None

    def write(self, rel, data, mode=None):
        full = os.path.join(self.path, rel)
        parent = os.path.dirname(full)
        if parent not in self._dirs:
            os.makedirs(parent, exist_ok=True)
            self._dirs.add(parent)
        with open(full, "wb") as f:
            f.write(data)
        if mode is not None:
            os.chmod(full, mode)
        self.files += 1
        self.bytes += len(data)

    def write_random(self, rel, size, header=b""):
        """A file of incompressible bytes, written in 1 MiB pieces to keep memory flat."""
        full = os.path.join(self.path, rel)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(header)
            left = size - len(header)
            while left > 0:
                n = min(left, MB)
                f.write(self.rng.randbytes(n))
                left -= n
        self.files += 1
        self.bytes += size

    def text(self, size):
        """About {size} bytes of YAML-like lines: compresses as configuration does."""
        if self._lines is None:
            rng = self.rng
            self._lines = [f"{'  ' * rng.randint(0, 3)}{rng.choice(WORDS)}: {rng.choice(WORDS)}"
                           f"_{rng.randint(0, 9999)}\n" for _ in range(65536)]
        # Lines average 26 bytes; a few more than needed, then cut to the size.
        return "".join(self.rng.choices(self._lines, k=size // 20 + 1)).encode()[:size]

    def small_size(self, mean):
        """A file size drawn from a log-normal of the given mean, as small files are spread."""
        sigma = 1.0
        mu = math.log(mean) - sigma * sigma / 2
        return max(64, min(64 * mean, int(self.rng.lognormvariate(mu, sigma))))


# --- config/ ----------------------------------------------------------------------------------

def configuration(root):
    root.write("config/configuration.yaml", b"default_config:\n"
               b"http:\n  ssl_certificate: /ssl/fullchain.pem\n  ssl_key: /ssl/privkey.pem\n"
               b"recorder:\n  purge_keep_days: 10\n  commit_interval: 1\n"
               b"automation: !include automations.yaml\nscript: !include scripts.yaml\n"
               b"homeassistant:\n  packages: !include_dir_named packages\n")
    root.write("config/secrets.yaml", b"wifi_password: not-a-real-secret\n")
    root.write("config/automations.yaml", root.text(6000))
    root.write("config/scripts.yaml", root.text(2000))
    root.write("config/home-assistant.log", root.text(max(4096, root.scale * 20 * 1024)))


SMALL_DIRS_DEFAULT = ("packages", "blueprints/automation/homeassistant", "custom_components/hacs",
                      "custom_components/alexa_media", "esphome", "themes", "www/community",
                      "custom_components/hacs/frontend")
EXTS = (".yaml", ".json", ".py", ".js")


def config_files(root, budget, count_floor, mean):
    """Configuration files under config/ until {budget} bytes or {count_floor} files."""
    i = 0
    written = 0
    while written < budget or i < count_floor:
        d = root.rng.choice(SMALL_DIRS_DEFAULT)
        size = root.small_size(mean)
        root.write(f"config/{d}/file_{i:05d}{root.rng.choice(EXTS)}", root.text(size))
        written += size
        i += 1


def storage(root, entities):
    """.storage: the registries Home Assistant keeps as JSON, sized by the number of entities."""
    rng = root.rng
    domains = ("sensor", "binary_sensor", "light", "switch", "climate", "cover", "media_player")
    devices = [{"id": f"{rng.getrandbits(128):032x}", "name": f"Device {d}",
                "manufacturer": rng.choice(("IKEA of Sweden", "Philips", "Aqara", "Shelly")),
                "model": f"M{rng.randint(100, 999)}", "area_id": rng.choice(AREAS),
                "identifiers": [["zha", f"{rng.getrandbits(64):016x}"]],
                "sw_version": f"{rng.randint(1, 3)}.{rng.randint(0, 20)}"}
               for d in range(max(4, entities // 6))]
    ents = [{"entity_id": f"{rng.choice(domains)}.entity_{i}", "platform": rng.choice(("mqtt", "zha", "esphome")),
             "unique_id": f"{rng.getrandbits(64):016x}", "device_id": rng.choice(devices)["id"],
             "original_name": f"Entity {i}", "area_id": None, "disabled_by": None,
             "options": {"sensor": {"suggested_display_precision": 1}}}
            for i in range(entities)]
    docs = {
        "core.entity_registry": {"entities": ents, "deleted_entities": []},
        "core.device_registry": {"devices": devices, "deleted_devices": []},
        "core.area_registry": {"areas": [{"id": a, "name": a.replace("_", " ").title()} for a in AREAS]},
        "core.config_entries": {"entries": [{"entry_id": f"{rng.getrandbits(128):032x}",
                                             "domain": d, "title": d, "data": {}, "options": {}}
                                            for d in ("zha", "mqtt", "esphome", "hacs", "met")]},
        "auth": {"users": [{"id": f"{rng.getrandbits(128):032x}", "name": "owner", "is_owner": True,
                            "group_ids": ["system-admin"]}],
                 "refresh_tokens": [{"id": f"{rng.getrandbits(128):032x}",
                                     "token": f"{rng.getrandbits(256):064x}"} for _ in range(6)]},
        "auth_provider.homeassistant": {"users": [{"username": "owner",
                                                   "password": "JDJiJDEyJG5vdC1hLXJlYWwtaGFzaA=="}]},
        "core.restore_state": [{"state": {"entity_id": e["entity_id"], "state": "on"},
                                "last_seen": "2026-01-01T00:00:00+00:00"} for e in ents[:200]],
        "onboarding": {"done": ["user", "core_config", "analytics", "integration"]},
        "core.uuid": {"uuid": f"{rng.getrandbits(128):032x}"},
        "lovelace": {"config": {"views": [{"title": a, "cards": []} for a in AREAS]}},
        "person": {"items": [{"id": "owner", "name": "Owner", "device_trackers": []}]},
        "http": {"use_x_forwarded_for": False},
    }
    for key, data in docs.items():
        doc = {"version": 1, "minor_version": 1, "key": key, "data": data}
        root.write(f"config/.storage/{key}", json.dumps(doc, indent=2, ensure_ascii=False).encode())


AREAS = ("living_room", "kitchen", "bedroom", "hallway", "garden", "garage", "office")


# --- the recorder database --------------------------------------------------------------------

SCHEMA = """
CREATE TABLE event_data (data_id INTEGER PRIMARY KEY, hash BIGINT, shared_data TEXT);
CREATE TABLE event_types (event_type_id INTEGER PRIMARY KEY, event_type VARCHAR(64));
CREATE TABLE state_attributes (attributes_id INTEGER PRIMARY KEY, hash BIGINT, shared_attrs TEXT);
CREATE TABLE states_meta (metadata_id INTEGER PRIMARY KEY, entity_id VARCHAR(255));
CREATE TABLE statistics_meta (id INTEGER PRIMARY KEY, statistic_id VARCHAR(255),
  source VARCHAR(32), unit_of_measurement VARCHAR(255), has_mean BOOLEAN, has_sum BOOLEAN,
  name VARCHAR(255), mean_type SMALLINT NOT NULL DEFAULT 0);
CREATE TABLE recorder_runs (run_id INTEGER PRIMARY KEY, start DATETIME NOT NULL, end DATETIME,
  closed_incorrect BOOLEAN NOT NULL, created DATETIME NOT NULL);
CREATE TABLE schema_changes (change_id INTEGER PRIMARY KEY, schema_version INTEGER,
  changed DATETIME NOT NULL);
CREATE TABLE events (event_id INTEGER PRIMARY KEY, event_type CHAR(0), event_data CHAR(0),
  origin CHAR(0), origin_idx SMALLINT, time_fired CHAR(0), time_fired_ts FLOAT,
  context_id CHAR(0), context_user_id CHAR(0), context_parent_id CHAR(0),
  data_id INTEGER REFERENCES event_data (data_id), context_id_bin BLOB(16),
  context_user_id_bin BLOB(16), context_parent_id_bin BLOB(16),
  event_type_id INTEGER REFERENCES event_types (event_type_id));
CREATE TABLE states (state_id INTEGER PRIMARY KEY, entity_id CHAR(0), state VARCHAR(255),
  attributes CHAR(0), event_id SMALLINT, last_changed CHAR(0), last_changed_ts FLOAT,
  last_reported_ts FLOAT, last_updated CHAR(0), last_updated_ts FLOAT,
  old_state_id INTEGER REFERENCES states (state_id),
  attributes_id INTEGER REFERENCES state_attributes (attributes_id), context_id CHAR(0),
  context_user_id CHAR(0), context_parent_id CHAR(0), origin_idx SMALLINT,
  context_id_bin BLOB(16), context_user_id_bin BLOB(16), context_parent_id_bin BLOB(16),
  metadata_id INTEGER REFERENCES states_meta (metadata_id));
CREATE TABLE statistics (id INTEGER PRIMARY KEY, created CHAR(0), created_ts FLOAT,
  metadata_id INTEGER REFERENCES statistics_meta (id) ON DELETE CASCADE, start CHAR(0),
  start_ts FLOAT, mean FLOAT, mean_weight FLOAT, min FLOAT, max FLOAT, last_reset CHAR(0),
  last_reset_ts FLOAT, state FLOAT, sum FLOAT);
CREATE INDEX ix_states_metadata_id_last_updated_ts ON states (metadata_id, last_updated_ts);
CREATE INDEX ix_states_last_updated_ts ON states (last_updated_ts);
CREATE INDEX ix_states_old_state_id ON states (old_state_id);
CREATE INDEX ix_states_attributes_id ON states (attributes_id);
CREATE INDEX ix_states_context_id_bin ON states (context_id_bin);
CREATE INDEX ix_events_time_fired_ts ON events (time_fired_ts);
CREATE INDEX ix_events_event_type_id_time_fired_ts ON events (event_type_id, time_fired_ts);
CREATE INDEX ix_events_context_id_bin ON events (context_id_bin);
CREATE INDEX ix_events_data_id ON events (data_id);
CREATE INDEX ix_state_attributes_hash ON state_attributes (hash);
CREATE INDEX ix_event_data_hash ON event_data (hash);
CREATE UNIQUE INDEX ix_states_meta_entity_id ON states_meta (entity_id);
CREATE UNIQUE INDEX ix_statistics_meta_statistic_id ON statistics_meta (statistic_id);
CREATE UNIQUE INDEX ix_statistics_statistic_id_start_ts ON statistics (metadata_id, start_ts);
"""

EVENT_TYPES = ("call_service", "automation_triggered", "script_started", "zha_event",
               "mobile_app_notification_action", "homeassistant_start")


class Recorder:
    """Fills a database as Home Assistant's recorder does: states of many entities, each row
    pointing at its previous state and at shared attributes, some events, hourly statistics."""

    def __init__(self, con, rng, entities):
        self.con = con
        self.rng = rng
        self.entities = [f"sensor.entity_{i}" for i in range(entities)]
        self.last_state = {}
        self.state_id = 0
        self.event_id = 0
        self.time = EPOCH - 10 * 86400  # ten days of history: purge_keep_days
        con.executescript(SCHEMA)
        con.execute("INSERT INTO schema_changes VALUES (1, 48, '2026-01-01 00:00:00')")
        con.execute("INSERT INTO recorder_runs VALUES (1, '2025-12-22 00:00:00', NULL, 0,"
                    " '2025-12-22 00:00:00')")
        con.executemany("INSERT INTO states_meta VALUES (?, ?)",
                        [(i + 1, e) for i, e in enumerate(self.entities)])
        con.executemany("INSERT INTO event_types VALUES (?, ?)",
                        [(i + 1, t) for i, t in enumerate(EVENT_TYPES)])
        attrs = [json.dumps({"state_class": "measurement", "unit_of_measurement": "°C",
                             "device_class": "temperature", "friendly_name": f"Entity {i}"},
                            ensure_ascii=False) for i in range(entities)]
        con.executemany("INSERT INTO state_attributes VALUES (?, ?, ?)",
                        [(i + 1, hash_of(a), a) for i, a in enumerate(attrs)])
        con.executemany("INSERT INTO statistics_meta VALUES (?, ?, 'recorder', '°C', 1, 0, NULL, 1)",
                        [(i + 1, e) for i, e in enumerate(self.entities)])
        con.commit()

    def commit_interval(self, states):
        """One commit's worth of rows, as the recorder writes each second."""
        rng = self.rng
        rows = []
        for _ in range(states):
            self.state_id += 1
            self.time += rng.uniform(0.001, 0.2)
            m = rng.randrange(len(self.entities)) + 1
            rows.append((self.state_id, None, f"{rng.uniform(-20, 40):.2f}", None, None, None,
                         None, None, None, self.time, self.last_state.get(m), m, None, None, None,
                         0, self.ulid(), None, None, m))
            self.last_state[m] = self.state_id
        self.con.executemany("INSERT INTO states VALUES (" + ",".join("?" * 20) + ")", rows)
        events = []
        for _ in range(max(1, states // 10)):
            self.event_id += 1
            data = json.dumps({"domain": "light", "service": "turn_on",
                               "service_data": {"entity_id": rng.choice(self.entities)}})
            self.con.execute("INSERT INTO event_data VALUES (?, ?, ?)",
                             (self.event_id, hash_of(data), data))
            events.append((self.event_id, None, None, None, 0, None, self.time, None, None, None,
                           self.event_id, self.ulid(), None, None,
                           rng.randrange(len(EVENT_TYPES)) + 1))
        self.con.executemany("INSERT INTO events VALUES (" + ",".join("?" * 15) + ")", events)
        self.con.commit()

    def ulid(self):
        """A context id as the recorder stores it: a ULID, milliseconds then 80 random bits."""
        return (int(self.time * 1000) << 80 | self.rng.getrandbits(80)).to_bytes(16, "big")

    def statistics(self):
        """Hourly statistics for the history written so far."""
        hours = int((self.time - (EPOCH - 10 * 86400)) // 3600) + 1
        rows = []
        for h in range(hours):
            start = EPOCH - 10 * 86400 + h * 3600
            for m in range(1, min(len(self.entities), 50) + 1):
                mean = self.rng.uniform(15, 25)
                rows.append((None, None, start + 3612, m, None, start, mean, None, mean - 1,
                             mean + 1, None, None, None, None))
        self.con.executemany("INSERT INTO statistics VALUES (" + ",".join("?" * 14) + ")", rows)
        self.con.commit()


def hash_of(text):
    """A stable stand-in for the recorder's fnv1a_32 hash of shared attributes."""
    h = 0x811C9DC5
    for b in text.encode()[:64]:
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def database(root, path, size, mode, entities):
    """The recorder database of about {size} bytes at {path}, in {mode} ("wal" or "rollback").

    In WAL mode the last commits stay in the -wal file, as on a running system: SQLite copies the
    WAL into the database and deletes it when the last connection closes, so the connection that
    wrote it is never closed; the process that holds it ends instead (os._exit), as Home Assistant
    does when it is killed, and the files stay as they were while it ran.
    """
    os.makedirs(os.path.dirname(path), exist_ok=True)
    seed = root.rng.getrandbits(64)
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            fill_database(path, size, mode, entities, random.Random(seed))
            status = 0
        except BaseException as e:  # the child must not return into the parent's code
            print(f"gendata: the recorder database failed: {e!r}", file=sys.stderr)
        finally:
            sys.stderr.flush()
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        sys.exit(f"gendata: could not write {path}")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            root.files += 1
            root.bytes += os.path.getsize(path + suffix)


def fill_database(path, size, mode, entities, rng):
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=" + ("WAL" if mode == "wal" else "DELETE"))
    # Speed over durability while generating: the files are complete once the process ends.
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-65536")
    recorder = Recorder(con, rng, entities)
    # The recorder's commits of ten days, most of them long since checkpointed into the database.
    wal_size = min(4 * MB, size // 20) if mode == "wal" else 0
    while os.path.getsize(path) < size - wal_size:
        recorder.commit_interval(2000)
    recorder.statistics()
    if mode != "wal":
        con.close()
        return
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # The last seconds' commits, still only in the WAL (SQLite checkpoints at 1000 pages).
    con.execute("PRAGMA wal_autocheckpoint=0")
    while os.path.getsize(path + "-wal") < wal_size:
        recorder.commit_interval(50)
    # Left open on purpose: see database().


# --- the other folders ------------------------------------------------------------------------

def media(root, budget, count=None):
    """Camera snapshots (a few MB) or, when count is given, that many recordings of budget/count."""
    if count:
        for i in range(count):
            root.write_random(f"media/recordings/2026-01-0{i + 1}_driveway.mp4", budget // count,
                              header=b"\0\0\0\x18ftypmp42")
        return
    i = 0
    left = budget
    while left > 0:
        n = min(left, root.rng.randint(200_000, 8_000_000))
        root.write_random(f"media/camera/front_door/snap_{i:04d}.jpg", n, header=b"\xff\xd8\xff\xe0")
        left -= n
        i += 1


def share(root, budget):
    i = 0
    left = budget
    while left > 0 or i < 4:
        n = max(4096, min(left, 256 * 1024))
        root.write(f"share/exports/export_{i}.csv", root.text(n))
        left -= n
        i += 1
    deep = "/".join(f"very_long_directory_name_segment_{k:02d}" for k in range(6))
    root.write(f"share/{deep}/a_file_name_that_is_also_rather_long_to_exceed_one_hundred"
               "_characters_total.txt", b"long path\n")
    os.makedirs(os.path.join(root.path, "share/empty_dir"), exist_ok=True)


def ssl(root):
    root.write("ssl/fullchain.pem", b"-----BEGIN CERTIFICATE-----\n" + root.text(1800)
               + b"\n-----END CERTIFICATE-----\n")
    root.write("ssl/privkey.pem", b"-----BEGIN PRIVATE KEY-----\n" + root.text(1600)
               + b"\n-----END PRIVATE KEY-----\n", mode=0o600)


def addons(root, budget):
    """A local add-on's source, Zigbee2MQTT's and Mosquitto's data."""
    root.write("addons/local/my_addon/config.yaml", b"name: My add-on\nslug: my_addon\nversion: 1.0.0\n")
    root.write("addons/local/my_addon/run.sh", b"#!/bin/sh\necho hello\n", mode=0o755)
    z2m = "addons/data/45df7312_zigbee2mqtt"
    root.write(f"{z2m}/configuration.yaml", b"serial:\n  port: /dev/ttyUSB0\nmqtt:\n  server: mqtt://core-mosquitto\n")
    root.write(f"{z2m}/coordinator_backup.json",
               json.dumps({"pan_id": "1a62", "network_key": list(range(16))}).encode())
    root.write(f"{z2m}/database.db", root.text(max(4096, budget - 64 * 1024)))
    root.write("addons/data/core_mosquitto/mosquitto.db", root.rng.randbytes(64 * 1024))


def many_small_files(root, budget):
    """The small-files shape: what fills an appliance with files of a few KB."""
    rng = root.rng
    places = (
        ("config/custom_components/{pkg}/translations/{lang}.json", 4),
        ("config/custom_components/{pkg}/{name}.py", 4),
        ("config/www/community/{pkg}/dist/{name}.js", 3),
        ("config/blueprints/automation/{pkg}/{name}.yaml", 1),
        ("config/esphome/.esphome/build/{pkg}/src/{name}.h", 2),
        ("addons/data/45df7312_zigbee2mqtt/log/2026-01-{day}/{name}.log", 2),
        ("addons/data/45df7312_zigbee2mqtt/ota/{pkg}/{name}.json", 1),
        ("addons/data/a0d7b954_nodered/node_modules/{pkg}/lib/{name}.js", 6),
        ("addons/data/a0d7b954_nodered/node_modules/{pkg}/package.json", 1),
        ("share/zigbee2mqtt/devices/{pkg}/{name}.json", 1),
    )
    weighted = [p for p, w in places for _ in range(w)]
    packages = [f"pkg_{k:03d}" for k in range(400)]
    for i in range(budget // 4096):
        template = rng.choice(weighted)
        rel = template.format(pkg=rng.choice(packages), lang=rng.choice(("en", "de", "fr", "nl")),
                              day=f"{rng.randint(1, 28):02d}", name=f"f{i:06d}")
        root.write(rel, root.text(root.small_size(4096)))
    root.write("addons/data/a0d7b954_nodered/flows.json", root.text(64 * 1024))


def awkward(root):
    """Names and links that trip archivers: unicode, long names, symlinks, leftovers to skip."""
    root.write("config/www/Ünïcødé ファイル.yaml", b"x: 1\n")
    root.write("media/camera/front_door/📷 Eingang – «Tür».jpg", b"\xff\xd8\xff\xe0" + root.rng.randbytes(4096))
    root.write("share/" + "long_name_" * 24 + ".txt", b"a file name of 244 bytes\n")
    os.symlink("../ssl/fullchain.pem", os.path.join(root.path, "config/cert_link.pem"))
    os.symlink("configuration.yaml", os.path.join(root.path, "config/conf_alias.yaml"))
    # Left out of backups by Home Assistant's excludes.
    root.write("config/__pycache__/x.cpython-312.pyc", b"\0" * 100)
    for i in range(max(2, root.scale // 16)):
        root.write(f"config/tts/cache_{i}.mp3", root.rng.randbytes(root.rng.randint(20_000, 200_000)))


def generate(path, scale, seed, shape, db):
    rng = random.Random(seed)
    root = Root(path, rng)
    root.scale = scale
    total = scale * MB
    db_share, media_share, small_share, middle_share = SHAPES[shape]
    entities = max(40, scale * 4)
    os.makedirs(path)
    configuration(root)
    storage(root, min(entities, 5000))
    if db != "none":
        database(root, os.path.join(path, "config/home-assistant_v2.db"), int(total * db_share),
                 db, min(entities, 2000))
        if db == "rollback":
            # A leftover shared-memory file, which Home Assistant's excludes leave out.
            root.write("config/home-assistant_v2.db-shm", rng.randbytes(32 * 1024))
    if shape == "small-files":
        config_files(root, 0, 200, 6000)
        many_small_files(root, int(total * small_share))
    else:
        config_files(root, int(total * small_share), 200, 6000)
    media(root, int(total * media_share), count=4 if shape == "huge-files" else None)
    middle = int(total * middle_share)
    share(root, middle * 6 // 10)
    ssl(root)
    addons(root, middle * 4 // 10)
    awkward(root)
    return root


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("root", help="the directory to make (must not exist)")
    ap.add_argument("--scale", type=int, default=256, help="about how many MB in total")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shape", choices=sorted(SHAPES), default="default")
    ap.add_argument("--db", choices=("wal", "rollback", "none"), default="wal")
    a = ap.parse_args()
    if a.scale < 1:
        ap.error("--scale must be at least 1")
    if os.path.lexists(a.root):
        ap.error(f"{a.root} exists; give a new directory")
    root = generate(a.root, a.scale, a.seed, a.shape, a.db)
    print(f"gendata: {root.files} files, {root.bytes / MB:.1f} MB in {a.root}"
          f" (shape {a.shape}, database {a.db}, seed {a.seed})")


if __name__ == "__main__":
    main()

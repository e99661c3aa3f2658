#!/usr/bin/env python3
"""Puts a data root's recorder database in the state a running or a stopped Home Assistant leaves.

usage: db-state.py ROOT wal|stopped

Converts ROOT/config/home-assistant_v2.db to WAL mode; "wal" leaves it as a running Home Assistant
does (a -wal file of recent writes beside it, never checkpointed), "stopped" as one stopped
cleanly (no -wal).
"""
import os, random, sqlite3, sys


def main():
    root, state = sys.argv[1], sys.argv[2]
    db = f"{root}/config/home-assistant_v2.db"
    if not os.path.exists(db):
        return  # a root without a database: nothing to put in a state
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
    c.execute("CREATE TABLE IF NOT EXISTS bench_recent (x TEXT)")
    rng = random.Random(7)
    c.executemany("INSERT INTO bench_recent VALUES (?)",
                  (("".join(rng.choice("abcdefgh ") for _ in range(200)),) for _ in range(20000)))
    c.commit()
    sys.stdout.flush()
    os._exit(0)


main()

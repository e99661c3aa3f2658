#!/usr/bin/python3
"""An independent reader of Home Assistant backups, written from FORMAT.md, not from Haven's code.

It opens a backup the way the Supervisor does and fails loudly on anything the Supervisor would
refuse: the outer tar must be PAX, `./backup.json` is looked up by exact name with getmember and
must be the last member, inner tars are looked up by exact name without "./", backup.json is
checked against the fields the Supervisor validates, SecureTar v2 is opened with password_to_key
and the SHA-256-derived IV, v3 with Argon2id, the BLAKE2b validation key and libsodium's
secretstream, and parts are extracted with the rules of tarfile's "tar" filter.

Standard library plus Debian's python3-cryptography and python3-nacl; run with /usr/bin/python3.

  ha_reader.py extract BACKUP OUT_ROOT [--password P]   lays the parts out as a data root
  ha_reader.py list BACKUP [--password P]               prints every entry of every part as JSON
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import stat
import sys
import tarfile
import tempfile

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
import nacl.bindings as sodium
import nacl.pwhash

ALL_FOLDERS = ["share", "addons/local", "ssl", "media"]
MAGIC = b"SecureTar"
CHUNK = 1024 * 1024
V3_PERSON = b"SecureTarv3".ljust(16, b"\0")
COPY = 1024 * 1024


class Refused(Exception):
    """What the Supervisor would refuse."""


def password_to_key(password):
    key = password.encode("utf-8")
    for _ in range(100):
        key = hashlib.sha256(key).digest()
    return key[:16]


def iv_from(key, salt):
    iv = key + salt
    for _ in range(100):
        iv = hashlib.sha256(iv).digest()
    return iv[:16]


# ---------------------------------------------------------------------------------------------
# The outer archive and backup.json

def check_outer_is_pax(path):
    with open(path, "rb") as f:
        head = f.read(512)
    if head[257:265] != b"ustar\x0000":
        raise Refused("outer tar is not POSIX/PAX (magic %r); securetar refuses it" % head[257:265])


def read_backup_json(outer):
    try:
        member = outer.getmember("./backup.json")
    except KeyError:
        raise Refused("no member named exactly './backup.json'")
    names = outer.getnames()
    if names[-1] != "./backup.json":
        raise Refused("./backup.json is not the last member: %s" % names)
    data = json.load(outer.extractfile(member))
    validate_backup_json(data)
    return data


def validate_backup_json(d):
    def need(cond, why):
        if not cond:
            raise Refused("backup.json: " + why)

    need(isinstance(d.get("slug"), str) and re.fullmatch(r"[0-9a-f]{8}", d["slug"]), "slug")
    need(d.get("version") == 2, "version must be 2")
    need(isinstance(d.get("name"), str), "name")
    need(isinstance(d.get("date"), str) and re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00", d["date"]), "date: UTC isoformat")
    need(d.get("type") in ("full", "partial"), "type")
    need(isinstance(d.get("compressed"), bool), "compressed is a bool")
    need(isinstance(d.get("protected"), bool), "protected is a bool")
    need(d.get("crypto", None) in (None, "aes128"), "crypto")
    need(isinstance(d.get("supervisor_version"), str), "supervisor_version")
    ha = d.get("homeassistant")
    need(ha is None or (isinstance(ha, dict) and isinstance(ha.get("version"), str)
                        and isinstance(ha.get("exclude_database"), bool)), "homeassistant")
    folders = d.get("folders", [])
    need(all(f in ALL_FOLDERS for f in folders) and len(set(folders)) == len(folders), "folders")
    addons = d.get("addons", [])
    for a in addons:
        need(all(isinstance(a.get(k), str) for k in ("slug", "name", "version")), "addon %r" % a)
    need(len({a["slug"] for a in addons}) == len(addons), "addon slugs unique")
    need(all(isinstance(r, str) for r in d.get("repositories", [])), "repositories")
    need(isinstance(d.get("extra", {}), dict), "extra")
    sha = hashlib.sha1(("%s - %s" % (d["date"], d["name"])).lower().encode()).hexdigest()[:8]
    need(sha == d["slug"], "slug is not sha1(date - name)[:8]")


def parts_of(meta):
    """(kind, id, member base) in the Supervisor's order."""
    parts = []
    if meta.get("homeassistant"):
        parts.append(("homeassistant", "homeassistant", "homeassistant"))
    for a in meta.get("addons", []):
        parts.append(("addon", a["slug"], a["slug"]))
    for f in meta.get("folders", []):
        parts.append(("folder", f, f.replace("/", "_")))
    return parts


def check_member_order(outer, meta, suffix):
    expected = [base + suffix for _, _, base in parts_of(meta)] + ["./backup.json"]
    if outer.getnames() != expected:
        raise Refused("members %s, expected %s" % (outer.getnames(), expected))
    for m in outer.getmembers():
        # As Python's tarfile writes them for the Supervisor: 0644, root, no user names; the
        # inner tars' float mtime forces a PAX record, backup.json's integer one does not.
        if (m.mode, m.uid, m.gid, m.uname, m.gname) != (0o644, 0, 0, "", ""):
            raise Refused("outer member %s: mode %o uid %d gid %d uname %r gname %r"
                          % (m.name, m.mode, m.uid, m.gid, m.uname, m.gname))
        if ("mtime" in m.pax_headers) != (m.name != "./backup.json"):
            raise Refused("outer member %s: PAX mtime record %r" % (m.name, m.pax_headers))


def check_outer_padding(path):
    size = os.path.getsize(path)
    if size % 10240:
        raise Refused("outer tar is %d bytes, not a whole 10240-byte record" % size)


# ---------------------------------------------------------------------------------------------
# SecureTar

def decrypt_to(src, size, password, out):
    """Decrypts one inner member of `size` bytes from `src` into the file `out`."""
    head = src.read(16)
    if not head.startswith(MAGIC):
        raise Refused("inner tar has no SecureTar magic (v1 is not written any more)")
    version = head[9]
    if head[10:16] != b"\0" * 6:
        raise Refused("reserved header bytes are not zero")
    if version == 2:
        return decrypt_v2(src, size, password, out)
    if version == 3:
        return decrypt_v3(src, size, password, out)
    raise Refused("unknown SecureTar version %d" % version)


def decrypt_v2(src, size, password, out):
    rest = src.read(32)
    plain_size = int.from_bytes(rest[0:8], "big")
    salt = rest[16:32]
    key = password_to_key(password)
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv_from(key, salt))).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    left = size - 48
    if left % 16:
        raise Refused("v2 ciphertext is not a whole number of blocks")
    written, first = 0, True
    while left:
        block = src.read(min(COPY, left))
        left -= len(block)
        plain = unpadder.update(decryptor.update(block))
        if first and plain:
            if plain[:3] != b"\x1f\x8b\x08" and plain[257:262] != b"ustar":
                raise Refused("wrong password (v2: first block is neither gzip nor tar)")
            first = False
        out.write(plain)
        written += len(plain)
    last = unpadder.update(decryptor.finalize()) + unpadder.finalize()
    out.write(last)
    written += len(last)
    if plain_size not in (0, written):
        raise Refused("v2 header says %d plaintext bytes, got %d" % (plain_size, written))
    return "v2"


def v3_key(root_key, salt):
    return hashlib.blake2b(b"", digest_size=32, key=root_key, salt=salt, person=V3_PERSON).digest()


def decrypt_v3(src, size, password, out):
    rest = src.read(120)
    plain_size = int.from_bytes(rest[0:8], "big")
    root_salt, validation_salt = rest[16:32], rest[32:48]
    validation_key, derivation_salt, stream_header = rest[48:80], rest[80:96], rest[96:120]
    root_key = nacl.pwhash.argon2id.kdf(32, password.encode("utf-8"), root_salt,
                                        opslimit=8, memlimit=16 * 1024 * 1024)
    if v3_key(root_key, validation_salt) != validation_key:
        raise Refused("wrong password (v3 validation key differs)")
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    sodium.crypto_secretstream_xchacha20poly1305_init_pull(
        state, stream_header, v3_key(root_key, derivation_salt))
    chunks = max(1, -(-plain_size // CHUNK))
    if size - 136 != plain_size + 17 * chunks:
        raise Refused("v3 member size %d does not fit plaintext size %d" % (size, plain_size))
    for i in range(chunks):
        n = min(CHUNK, plain_size - i * CHUNK) + 17
        plain, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, src.read(n), None)
        final = tag == sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
        if final != (i == chunks - 1):
            raise Refused("v3 FINAL tag in the wrong place")
        out.write(plain)
    return "v3"


# ---------------------------------------------------------------------------------------------
# Inner tars

def open_part(outer, name, protected, password, scratch):
    """The inner tar of one part, decrypted to a scratch file first when protected."""
    member = outer.getmember(name)  # exact name, as the Supervisor opens it
    src = outer.extractfile(member)
    if not protected:
        return tarfile.open(fileobj=src, mode="r:*"), "none"
    if password is None:
        raise Refused("%s is protected; a password is needed" % name)
    path = os.path.join(scratch, name + ".plain")
    with open(path, "wb") as out:
        version = decrypt_to(src, member.size, password, out)
    return tarfile.open(path, mode="r:*"), version


def tar_filter(member, dest):
    """tarfile's "tar" filter (Python 3.12): no absolute names, nothing outside dest, no
    outside links, no devices, mode & 0o755 with setuid/setgid/sticky and g/o write cleared."""
    name = member.name
    if name.startswith("/") or os.path.isabs(name):
        raise Refused("absolute path %r" % name)
    dest = os.path.realpath(dest)
    target = os.path.realpath(os.path.join(dest, name))
    if os.path.commonpath([target, dest]) != dest:
        raise Refused("%r leaves the destination" % name)
    if member.isdev():
        raise Refused("device node %r" % name)
    if member.issym():
        if os.path.isabs(member.linkname):
            raise Refused("absolute link %r -> %r" % (name, member.linkname))
        to = os.path.realpath(os.path.join(dest, os.path.dirname(name), member.linkname))
        if os.path.commonpath([to, dest]) != dest:
            raise Refused("link %r -> %r leaves the destination" % (name, member.linkname))
    if member.islnk():
        to = os.path.realpath(os.path.join(dest, member.linkname))
        if os.path.commonpath([to, dest]) != dest:
            raise Refused("hard link %r leaves the destination" % name)
    member.mode = member.mode & 0o755
    return member


def check_inner_members(inner, name):
    for m in inner.getmembers():
        if m.mode > 0o7777:
            raise Refused("%s: %s has file-type bits in its mode field (%o)" % (name, m.name, m.mode))


def extract_part(inner, dest):
    os.makedirs(dest, exist_ok=True)
    members = [tar_filter(m, dest) for m in inner.getmembers()]
    inner.extractall(dest, members=members, numeric_owner=True)


def check_settings(kind, tmp):
    if kind == "homeassistant":
        with open(os.path.join(tmp, "homeassistant.json")) as f:
            settings = json.load(f)
        for key in ("version", "boot", "port", "ssl", "watchdog"):
            if key not in settings:
                raise Refused("homeassistant.json has no %r" % key)
    elif kind == "addon":
        with open(os.path.join(tmp, "addon.json")) as f:
            addon = json.load(f)
        for key in ("user", "system", "version", "state"):
            if key not in addon:
                raise Refused("addon.json has no %r" % key)
        for key in ("name", "version", "slug"):
            if not isinstance(addon["system"].get(key), str):
                raise Refused("addon.json system has no %r" % key)


def place(kind, part_id, tmp, root):
    """Where the Supervisor puts a restored part, in Haven's data-root layout."""
    if kind == "folder":
        target = os.path.join(root, part_id)
        source = tmp
    else:
        check_settings(kind, tmp)
        source = os.path.join(tmp, "data")
        target = os.path.join(root, "config") if kind == "homeassistant" else \
            os.path.join(root, "addons", "data", part_id)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    os.rename(source, target)


def open_backup(path):
    check_outer_is_pax(path)
    check_outer_padding(path)
    outer = tarfile.open(path, mode="r:")
    meta = read_backup_json(outer)
    suffix = ".tar.gz" if meta["compressed"] else ".tar"
    check_member_order(outer, meta, suffix)
    return outer, meta, suffix


def extract(path, root, password):
    outer, meta, suffix = open_backup(path)
    os.makedirs(root, exist_ok=True)
    versions = {}
    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(root))) as scratch:
        for kind, part_id, base in parts_of(meta):
            inner, version = open_part(outer, base + suffix, meta["protected"], password, scratch)
            versions[part_id] = version
            tmp = os.path.join(scratch, base)
            with inner:
                check_inner_members(inner, base + suffix)
                extract_part(inner, tmp)
            place(kind, part_id, tmp, root)
    print(json.dumps({"slug": meta["slug"], "parts": versions}))


def listing(path, password):
    outer, meta, suffix = open_backup(path)
    entries = []
    with tempfile.TemporaryDirectory() as scratch:
        for kind, part_id, base in parts_of(meta):
            inner, _ = open_part(outer, base + suffix, meta["protected"], password, scratch)
            with inner:
                for m in inner:
                    entries.append({
                        "part": part_id, "path": m.name, "type": entry_type(m),
                        "size": m.size if m.isfile() else 0, "mode": m.mode & 0o7777,
                        "mtime": int(m.mtime), "link": m.linkname or None})
    print(json.dumps(entries, indent=1))


def entry_type(m):
    if m.isdir():
        return "directory"
    if m.issym():
        return "symlink"
    if m.islnk():
        return "hardlink"
    return "file" if m.isfile() else "other"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("command", choices=["extract", "list"])
    p.add_argument("backup")
    p.add_argument("out", nargs="?")
    p.add_argument("--password")
    a = p.parse_args()
    try:
        if a.command == "extract":
            extract(a.backup, a.out, a.password)
        else:
            listing(a.backup, a.password)
    except (Refused, KeyError, tarfile.TarError, ValueError) as e:
        print("REFUSED: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()

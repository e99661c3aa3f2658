#!/usr/bin/env python3
"""What Home Assistant's Supervisor does for an unencrypted backup, with the standard library only.

usage: ha_like.py backup DATA_ROOT OUT.tar
       ha_like.py restore IN.tar DEST_ROOT

backup: an outer PAX tar; each part is a gzip-6 inner PAX tar streamed straight into it (its header
written first and rewritten once the size is known, as securetar's InnerSecureTarFile does), in the
Supervisor's order (homeassistant, add-ons, share, addons/local, ssl, media), then ./backup.json.
FORMAT.md section 1 has the layout. restore: each inner tar extracted with tarfile, as the
Supervisor does (filter "tar").
"""
import gzip, io, json, os, sys, tarfile, time

FOLDERS = ["share", "addons/local", "ssl", "media"]
OUTER_BUFSIZE = 4 * 1024 * 1024  # the Supervisor opens the outer tar with bufsize=4 MiB


def parts(root):
    """(member base, directory, inner layout) in the Supervisor's order."""
    out = []
    if os.path.isdir(f"{root}/config"):
        out.append(("homeassistant", f"{root}/config", "data"))
    addons = f"{root}/addons/data"
    if os.path.isdir(addons):
        for slug in sorted(os.listdir(addons)):
            out.append((slug, f"{addons}/{slug}", "data"))
    for f in FOLDERS:
        if os.path.isdir(f"{root}/{f}"):
            out.append((f.replace("/", "_"), f"{root}/{f}", "."))
    return out


class Counting(io.RawIOBase):
    def __init__(self, f):
        self.f, self.n = f, 0

    def writable(self):
        return True

    def write(self, b):
        self.f.write(b)
        self.n += len(b)
        return len(b)


def add_part(outer, fileobj, name, directory, layout):
    info = tarfile.TarInfo(name)
    info.mtime = time.time()  # a float, so tarfile writes a PAX mtime record as the Supervisor does
    info.mode = 0o644
    header_at = fileobj.tell()
    fileobj.write(info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape"))
    body = Counting(fileobj)
    with gzip.GzipFile(fileobj=body, mode="wb", compresslevel=6) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as inner:
            if layout == "data":
                inner.add(directory, arcname=".", recursive=False)
                meta = json.dumps({"version": "2026.1.0"}).encode()
                ti = tarfile.TarInfo("./homeassistant.json" if name.startswith("homeassistant")
                                     else "./addon.json")
                ti.size = len(meta)
                inner.addfile(ti, io.BytesIO(meta))
                inner.add(directory, arcname="data")
            else:
                inner.add(directory, arcname=".")
    fileobj.write(b"\0" * ((512 - body.n % 512) % 512))
    end = fileobj.tell()
    info.size = body.n
    fileobj.seek(header_at)
    fileobj.write(info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape"))
    fileobj.seek(end)
    outer.offset = end


def backup(root, out_path):
    with open(out_path, "wb", buffering=OUTER_BUFSIZE) as f:
        outer = tarfile.open(fileobj=f, mode="w", format=tarfile.PAX_FORMAT)
        names = []
        for base, directory, layout in parts(root):
            add_part(outer, f, base + ".tar.gz", directory, layout)
            names.append(base)
        meta = json.dumps({"slug": "0badc0de", "version": 2, "parts": names}).encode()
        ti = tarfile.TarInfo("./backup.json")
        ti.size, ti.mtime = len(meta), int(time.time())
        outer.addfile(ti, io.BytesIO(meta))
        outer.close()
        f.flush()
        os.fsync(f.fileno())


def restore(in_path, dest):
    with tarfile.open(in_path, "r:") as outer:
        for m in outer.getmembers():
            if not m.name.endswith(".tar.gz"):
                continue
            base = m.name[: -len(".tar.gz")]
            if base == "homeassistant":
                target = f"{dest}/config"
            elif base.replace("_", "/") in FOLDERS or base in FOLDERS:
                target = f"{dest}/{base.replace('_', '/')}"
            else:
                target = f"{dest}/addons/data/{base}"
            os.makedirs(target, exist_ok=True)
            with tarfile.open(fileobj=outer.extractfile(m), mode="r:gz") as inner:
                inner.extractall(target, filter="tar")


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("backup", "restore"):
        sys.exit(__doc__)
    (backup if sys.argv[1] == "backup" else restore)(sys.argv[2], sys.argv[3])

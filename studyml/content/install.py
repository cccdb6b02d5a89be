"""Install a pack folder or .zip into the data dir: validate, stage, then rename into place."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from studyml import paths
from studyml.content.loader import PackResult, load_pack

MAX_ZIP_BYTES = 64 * 1024 * 1024
MAX_ZIP_ENTRIES = 5_000


class InstallError(Exception):
    """Installation refused; the message says why and what to do.

    A problem in an archive names the archive as `file` and, when it concerns one entry, the entry's name as
    `path`, so it prints like every other diagnostic: `file:1:1: path: message`.
    """

    def __init__(self, message: str, file: Path | str | None = None, path: str = ""):
        super().__init__(message)
        self.message, self.file, self.path = message, file, path

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        return f"{self.file}:1:1: {self.path + ': ' if self.path else ''}{self.message}"

    def to_json(self) -> dict:
        return {"file": str(self.file or ""), "line": 1, "col": 1, "path": self.path, "message": self.message,
                "severity": "error"}


def extract_zip(archive: Path, dest: Path) -> Path:
    """Extract safely into `dest` and return the pack folder inside it.

    Entries with absolute paths, '..', drive letters or symlinks are refused; so are archives whose
    uncompressed size or entry count exceeds the limits (zip bombs).
    """
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as e:
        raise InstallError(f"not a readable .zip file ({e})", archive) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise InstallError(f"{len(infos)} entries; the limit is {MAX_ZIP_ENTRIES}", archive)
        total = sum(i.file_size for i in infos)
        if total > MAX_ZIP_BYTES:
            raise InstallError(f"unpacks to {total / 1048576:.0f} MiB; the limit is {MAX_ZIP_BYTES // 1048576} MiB", archive)
        root = dest.resolve()
        for info in infos:
            name = info.filename
            pure = PurePosixPath(name.replace("\\", "/"))
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise InstallError("this entry is a symbolic link; packs may not contain links", archive, name)
            if pure.is_absolute() or ".." in pure.parts or (pure.parts and ":" in pure.parts[0]):
                raise InstallError("this entry would be written outside the pack folder; refusing to install", archive, name)
            target = (root / pure).resolve()
            if root != target and root not in target.parents:
                raise InstallError("this entry would be written outside the pack folder; refusing to install", archive, name)
        for info in infos:
            target = root / PurePosixPath(info.filename.replace("\\", "/"))
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                # Copy in bounded chunks and recount: a header may lie about the size.
                written = 0
                while chunk := src.read(1 << 16):
                    written += len(chunk)
                    if written > info.file_size or written > MAX_ZIP_BYTES:
                        raise InstallError("this entry is larger than its header says; refusing", archive, info.filename)
                    out.write(chunk)
    return find_pack_root(dest, archive)


def find_pack_root(folder: Path, archive: Path | None = None) -> Path:
    """The folder holding pack.yaml: the folder itself or its single sub-folder."""
    if (folder / "pack.yaml").is_file():
        return folder
    subs = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(("__MACOSX", "."))]
    if len(subs) == 1 and (subs[0] / "pack.yaml").is_file():
        return subs[0]
    raise InstallError("no pack.yaml at the top of the archive or in its single folder", archive)


def open_pack_source(source: Path, scratch: Path) -> Path:
    """A folder to validate: `source` itself, or a .zip extracted into `scratch`."""
    if source.is_file() and source.suffix.lower() == ".zip":
        return extract_zip(source, scratch)
    if source.is_dir():
        return source
    raise InstallError("no such folder or .zip file", source)


def install_pack(source: Path, *, known_demos: set[str] | None = None, strict: bool = False) -> tuple[PackResult, str]:
    """Validate and install; returns the load result and a message for the user.

    Raises InstallError (nothing installed) when the pack is invalid.
    """
    dest_base = paths.packs_dir()
    dest_base.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".staging-", dir=dest_base) as scratch:
        folder = open_pack_source(Path(source), Path(scratch) / "unzipped")
        result = load_pack(folder, known_demos=known_demos, display_root=Path(source) if Path(source).is_dir() else None)
        bad = result.errors + (result.warnings if strict else [])
        if result.pack is None or bad:
            lines = "\n".join(str(d) for d in bad)
            raise InstallError(f"{source}: not installed, the pack has {len(bad)} problem(s):\n{lines}")
        pack_id = result.pack.id
        staging = Path(scratch) / "pack"
        shutil.copytree(folder, staging, symlinks=False)
        final = dest_base / pack_id
        previous = None
        if final.exists():
            old = load_pack(final)
            previous = old.manifest.version if old.manifest else "?"
            trash = Path(scratch) / "old"
            os.replace(final, trash)  # both renames stay on one filesystem: atomic
        os.replace(staging, final)
    installed = load_pack(final, known_demos=known_demos, source="installed")
    if previous:
        msg = f"updated {pack_id} {previous} -> {installed.manifest.version}; progress is kept for every card id that still exists"
    else:
        msg = f"installed {pack_id} {installed.manifest.version}: {len(installed.pack.cards)} cards, {len(installed.pack.items)} quiz items"
    return installed, msg

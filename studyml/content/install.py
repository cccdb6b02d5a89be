"""Install a pack folder or .zip into the data dir: validate, stage, then rename into place."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import stat
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from studyml import paths
from studyml.content.checks import KnownDemos
from studyml.content.folders import STAGING_PREFIX, TARGET_FILE, put_back_interrupted, scratch_target
from studyml.content.loader import PackResult, load_pack, read_manifest
from studyml.lang import count, shown_name

if TYPE_CHECKING:
    from packaging.version import Version

MAX_ZIP_BYTES = 64 * 1024 * 1024
MAX_ZIP_ENTRIES = 5_000
SOURCE_FILE = ".studyml-install.json"  # in an installed pack: where it was installed from


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
        path = f"{shown_name(self.path)}: " if self.path else ""  # a zip entry's name, from a stranger
        return f"{shown_name(str(self.file))}:1:1: {path}{self.message}"

    def to_json(self) -> dict:
        return {
            "file": str(self.file or ""),
            "line": 1,
            "col": 1,
            "path": self.path,
            "message": self.message,
            "severity": "error",
        }


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
            raise InstallError(
                # In bytes: rounded, 64 MiB and one byte read "unpacks to 64 MiB; the limit is 64 MiB".
                f"unpacks to {total:,} bytes; the limit is {MAX_ZIP_BYTES:,} bytes ({MAX_ZIP_BYTES // 1048576} MiB)",
                archive,
            )
        root = dest.resolve()
        for info in infos:
            name = info.filename
            pure = PurePosixPath(name.replace("\\", "/"))
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise InstallError("this entry is a symbolic link; packs may not contain links", archive, name)
            if ".." in pure.parts:  # refused wherever it leads (`cards/../img/x` stays inside, and is refused too)
                raise InstallError(
                    "this entry has '..' in its name, which packs may not hold; refusing to install", archive, name
                )
            if pure.is_absolute() or (pure.parts and ":" in pure.parts[0]):
                raise InstallError(
                    "this entry would be written outside the pack folder; refusing to install", archive, name
                )
            target = (root / pure).resolve()
            if root != target and root not in target.parents:
                raise InstallError(
                    "this entry would be written outside the pack folder; refusing to install", archive, name
                )
        # A name that is a file and a folder too (`p/cards` and `p/cards/a.yaml`), or a file given twice: which
        # one the pack holds would depend on the order of extraction (it raised FileExistsError: an internal error).
        # Names as a file system that ignores case or Unicode normalisation (macOS, Windows) sees them: `Cards/A.yaml`
        # and `cards/a.yaml` are one file there.
        files: dict[str, str] = {}
        folders: set[str] = set()
        for info in infos:
            pure = PurePosixPath(info.filename.replace("\\", "/"))
            folders.update(_same_name(p) for p in pure.parents)
            if _is_dir(info):
                folders.add(_same_name(pure))
            elif _same_name(pure) in files:
                raise InstallError("this file is in the archive twice; refusing to install", archive, info.filename)
            else:
                files[_same_name(pure)] = info.filename
        for key in sorted(files.keys() & folders):
            raise InstallError("this entry is both a file and a folder; refusing to install", archive, files[key])
        for info in infos:
            target = root / PurePosixPath(info.filename.replace("\\", "/"))
            if _is_dir(info):
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src, open(target, "wb") as out:
                    # Copy in bounded chunks and recount: a header may lie about the size.
                    written = 0
                    while chunk := src.read(1 << 16):
                        written += len(chunk)
                        if written > info.file_size or written > MAX_ZIP_BYTES:
                            raise InstallError(
                                "this entry is larger than its header says; refusing", archive, info.filename
                            )
                        out.write(chunk)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as e:
                # e.g. a header that under-states the size: the data then fails its CRC check.
                raise InstallError(
                    f"this entry is damaged or its header is wrong ({e}); refusing to install; rebuild the archive",
                    archive,
                    info.filename,
                ) from None
    return find_pack_root(dest, archive)


def _is_dir(info: zipfile.ZipInfo) -> bool:
    """A folder entry, written the Windows way too (`p\\cards\\`), which zipfile does not see as one."""
    return info.is_dir() or info.filename.endswith("\\")


def _same_name(path: PurePosixPath) -> str:
    return unicodedata.normalize("NFC", str(path)).casefold()


def find_pack_root(folder: Path, archive: Path | None = None) -> Path:
    """The folder holding pack.yaml: the folder itself or its single sub-folder."""
    if (folder / "pack.yaml").is_file():
        return folder
    subs = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(("__MACOSX", "."))]
    if len(subs) == 1 and (subs[0] / "pack.yaml").is_file():
        return subs[0]
    raise InstallError("no pack.yaml at the top of the archive or in its single folder", archive)


IMPORTABLE = {".apkg", ".colpkg", ".csv", ".tsv", ".md", ".markdown", ".txt"}  # what `pack import` reads


def pack_folder_of(source: Path) -> Path:
    """The path an author gave for a pack: a pack's own pack.yaml names its folder (they meant the pack they were
    editing, and were told it was not a pack folder)."""
    return source.parent if source.name == "pack.yaml" and source.is_file() else source


def open_pack_source(source: Path, scratch: Path) -> Path:
    """A folder to validate: `source` itself, or a .zip extracted into `scratch`."""
    if source.is_file() and source.suffix.lower() == ".zip":
        return extract_zip(source, scratch)
    if source.is_dir():
        refuse_links(source)
        return source
    if source.exists():  # a file that is there but is neither: say so, not that it is missing
        pack = next((p for p in source.absolute().parents[:2] if (p / "pack.yaml").is_file()), None)
        raise InstallError(
            "not a pack folder or a .zip file: give the folder that holds pack.yaml, or a .zip of it"
            + (
                f" (this file is part of the pack in {pack if source.is_absolute() else os.path.relpath(pack)})"
                if pack
                else ""
            )
            + (
                "; to make a pack from this file, use `studyml pack import`"
                if pack is None and source.suffix.lower() in IMPORTABLE
                else ""
            ),
            source,
        )
    raise InstallError("no such folder or .zip file", source)


def refuse_links(folder: Path) -> None:
    """A pack folder may hold no symbolic link (as in a .zip): a link could copy files from elsewhere
    (a key, a home folder) into the data dir, or loop forever."""
    links = find_links(folder)
    if links:  # every one, as `pack validate` lists them (the first alone, without a place, was said)
        lines = "\n".join(f"{path}:1:1: {link_message(path)}" for path in links)
        raise InstallError(f"{folder}: not installed, the pack holds {count(len(links), 'symbolic link')}:\n{lines}")


def find_links(folder: Path) -> list[Path]:
    """Every symbolic link inside `folder`, none followed."""
    out = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        out += [Path(dirpath) / name for name in dirnames + filenames if (Path(dirpath) / name).is_symlink()]
    return sorted(out)


def link_message(path: Path) -> str:
    return f"is a symbolic link (to {os.readlink(path)}); packs may not contain links; replace it by the file itself"


def _version_key(v: str | None) -> Version:
    """PEP 440 order; a version that does not parse sorts first, as before."""
    from packaging.version import InvalidVersion, Version

    try:
        return Version(v or "0")
    except InvalidVersion:
        return Version("0")


def _builtin_versions() -> dict[str, str]:
    """id -> version of every built-in pack."""
    from studyml.content.library import pack_folders

    out = {}
    for folder, where in pack_folders():
        if where == "built-in":
            manifest = read_manifest(folder)
            if manifest is not None:
                out[manifest.id] = manifest.version
    return out


def _installed_from(folder: Path) -> str | None:
    try:
        return json.loads((folder / SOURCE_FILE).read_text(encoding="utf-8")).get("source")
    except (OSError, ValueError, AttributeError):
        return None


def check_replacement(
    pack_id: str,
    version: str,
    card_ids: set[str],
    source: Path,
    *,
    replace: bool,
    downgrade: bool,
    progress_of: Callable[[str], set[str]] | None,
) -> str:
    """Refuse (InstallError) a pack that would take the place of a built-in one or one installed from
    elsewhere unless `replace`, or an older version unless `downgrade` (or `replace`); returns a note
    on the progress that would be orphaned ('' when none)."""
    final = paths.packs_dir() / pack_id
    builtin = _builtin_versions().get(pack_id)
    current = load_pack(final).manifest if final.is_dir() else None
    other = _installed_from(final) if current is not None else None
    here = str(Path(source).resolve())
    orphaned: set[str] | None = None
    if progress_of is not None and (builtin or current):
        try:
            orphaned = set(progress_of(pack_id)) - card_ids
        except Exception:  # an unreadable store is reported where it is opened; the count is only a hint
            orphaned = None
    # "1 card with progress is", "3 cards with progress are"
    cards = f"{count(len(orphaned), 'card')} with progress {'is' if len(orphaned) == 1 else 'are'}" if orphaned else ""
    hint = f"; {cards} not in it and would be orphaned" if orphaned else ""
    if builtin and not replace:
        raise InstallError(
            f"{source}: pack id {pack_id!r} belongs to the built-in pack {pack_id} {builtin}; "
            f"installing {version} would replace it{hint}. Give the pack its own id, or pass "
            "--replace to replace the built-in pack"
        )
    if current is not None and other and other != here and not replace:
        raise InstallError(
            f"{source}: pack {pack_id} {current.version} is already installed from {other}; this is {version}{hint}. "
            "If it is a version of the same pack (a zip or folder with another name), pass --replace: progress is "
            "kept, it belongs to the pack's id and its cards' ids"
            + (
                f" (--replace installs {version} over the newer {current.version})"
                if _older(version, current.version)
                else ""
            )
            + ". If it is another pack, give it an id of its own"
        )
    old_version = current.version if current is not None else builtin
    if old_version and _older(version, old_version) and not (downgrade or replace):
        raise InstallError(
            f"{source}: {pack_id} {version} is older than the {old_version} you have{hint}; "
            "pass --downgrade to install it anyway"
        )
    return f"; {cards} orphaned (see `studyml pack orphans`)" if orphaned else ""


def _older(version: str, than: str) -> bool:
    return _version_key(version) < _version_key(than)


def _swap_in(staging: Path, final: Path, scratch: Path) -> None:
    """Put `staging` where the installed pack `final` is, the old copy going into `scratch`.

    In one step where the system can swap two folders (Linux's renameat2): a process killed here leaves one copy or
    the other, never none. Elsewhere two renames, each atomic; killed between them, the old copy waits in
    `scratch/old` with the name it came from, and the next listing puts it back (folders.put_back_interrupted).
    """
    if _exchange(staging, final):
        return
    target = scratch / TARGET_FILE
    target.write_text(final.name, encoding="utf-8")
    os.replace(final, scratch / "old")  # both renames stay on one filesystem: atomic
    os.replace(staging, final)
    # Swapped: the old copy is nothing to put back now. Left named, an install killed while its scratch folder was
    # deleted kept it, and after a `pack remove` the next listing brought the removed pack back.
    target.unlink()


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (renameat2 RENAME_EXCHANGE); False where the system or file system cannot."""
    import sys

    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without it (older glibc, musl)
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


STALE_SCRATCH_S = 3600.0  # an install's scratch folder this old belongs to a process that was killed


def _clear_stale_scratch(base: Path) -> None:
    """Remove the scratch folders of installs that were killed (each held a whole copy of a pack), after putting
    back a pack one of them held aside (one still naming where its old copy came from is kept: see _swap_in)."""
    import time

    put_back_interrupted(base)
    for scratch in base.glob(f"{STAGING_PREFIX}*"):
        try:
            if time.time() - scratch.stat().st_mtime > STALE_SCRATCH_S and not _holds_a_pack_aside(base, scratch):
                shutil.rmtree(scratch, ignore_errors=True)
        except OSError:
            continue


def _holds_a_pack_aside(base: Path, scratch: Path) -> bool:
    """Whether `scratch` holds the old copy of a pack that is not in its place (to be put back, never deleted). One
    whose old copy was put back, or whose pack is in its place again, still named its target, and was kept for
    good: every killed `pack install --replace` left a whole copy of a pack behind."""
    if not (scratch / TARGET_FILE).exists() or not (scratch / "old").is_dir():
        return False
    name = scratch_target(scratch)
    return name is None or not (base / name).exists()  # a target it cannot tell: kept, as put-back keeps it


def install_pack(
    source: Path,
    *,
    known_demos: KnownDemos = None,
    strict: bool = False,
    replace: bool = False,
    downgrade: bool = False,
    progress_of: Callable[[str], set[str]] | None = None,
) -> tuple[PackResult, str]:
    """Validate and install; returns the load result and a message for the user.

    Raises InstallError (nothing installed) when the pack is invalid, or would replace a built-in pack,
    one installed from elsewhere, or a newer version without `replace`/`downgrade`. `progress_of(pack_id)`
    gives the card ids with progress (from the store, which this module does not import).
    """
    source = pack_folder_of(Path(source))  # where it is installed from, as a reinstall from its folder says it
    dest_base = paths.packs_dir()
    dest_base.mkdir(parents=True, exist_ok=True)
    _clear_stale_scratch(dest_base)
    with tempfile.TemporaryDirectory(prefix=STAGING_PREFIX, dir=dest_base) as scratch:
        folder = open_pack_source(source, Path(scratch) / "unzipped")
        result = load_pack(folder, known_demos=known_demos, display_root=source if source.is_dir() else None)
        bad = result.errors + (result.warnings if strict else [])
        if result.pack is None or bad:
            # Under --strict a warning is a problem like any other, written as one (as `pack validate --strict`).
            lines = "\n".join(str(dataclasses.replace(d, severity="error")) for d in bad)
            raise InstallError(f"{source}: not installed, the pack has {count(len(bad), 'problem')}:\n{lines}")
        pack = result.pack  # valid: checked just above; the installed copy holds the same files
        pack_id = pack.id
        note = check_replacement(
            pack_id,
            result.pack.manifest.version,
            {c.id for c in result.pack.cards},
            source,
            replace=replace,
            downgrade=downgrade,
            progress_of=progress_of,
        )
        staging = Path(scratch) / "pack"
        shutil.copytree(folder, staging, symlinks=False)
        (staging / SOURCE_FILE).write_text(json.dumps({"source": str(Path(source).resolve())}), encoding="utf-8")
        final = dest_base / pack_id
        previous = None
        if final.exists():
            old = load_pack(final)
            previous = old.manifest.version if old.manifest else "?"
            _swap_in(staging, final, Path(scratch))
        else:
            os.replace(staging, final)
    installed = load_pack(final, known_demos=known_demos, source="installed")
    # Its warnings where the author can fix them, in the files installed from (the copy's are the same, elsewhere).
    installed.diagnostics = [d for d in installed.diagnostics if d.severity == "error"] + result.warnings
    if previous and previous == str(pack.manifest.version):  # "updated p 0.1.0 -> 0.1.0" read as a mistake
        msg = f"reinstalled {pack_id} {previous}; progress is kept for every card id that still exists"
    elif previous:
        msg = f"updated {pack_id} {previous} -> {pack.manifest.version}; progress is kept for every card id that still exists"
    else:
        msg = (
            f"installed {pack_id} {pack.manifest.version}: {count(len(pack.cards), 'card')}, "
            f"{count(len(pack.items), 'quiz item')}"
        )
    return installed, msg + note

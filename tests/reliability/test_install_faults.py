"""Installing packs: links, lying zip headers, and packs that would take a built-in's or another's place."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from studyml.content.install import InstallError, install_pack
from tests.content.packutil import make_pack

from .helpers import cli


def _zip(root, archive):
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(root.parent).as_posix())
    return archive


def test_a_link_to_a_folder_with_a_key_is_refused(tmp_path, studyml_home):
    secret = tmp_path / "ssh"
    secret.mkdir()
    (secret / "id_rsa").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    root = make_pack(tmp_path)
    (root / "cards" / "keys").symlink_to(secret)
    (root / "quizzes" / "etc").symlink_to("/etc")
    with pytest.raises(InstallError) as e:
        install_pack(root)
    # Every link, each where it is (the first alone was said, without a place).
    assert str(e.value).splitlines()[1:] == [
        f"{root / 'cards' / 'keys'}:1:1: is a symbolic link (to {secret}); packs may not contain links; replace it by "
        "the file itself",
        f"{root / 'quizzes' / 'etc'}:1:1: is a symbolic link (to /etc); packs may not contain links; replace it by "
        "the file itself",
    ]
    assert not list((studyml_home / "packs").rglob("id_rsa"))


def test_a_symlink_loop_is_refused_with_a_message_not_an_internal_error(tmp_path, studyml_home):
    root = make_pack(tmp_path)
    (root / "cards" / "loop").symlink_to(root / "cards")
    out, _ = cli(studyml_home, "pack", "install", str(root))
    assert out.returncode == 1
    assert "loop:1:1: is a symbolic link" in out.stderr and "internal error" not in out.stderr
    out, _ = cli(studyml_home, "pack", "validate", str(root))
    assert out.returncode == 1 and "is a symbolic link" in out.stdout


def test_a_zip_header_that_understates_a_size_is_a_clear_error(tmp_path, studyml_home):
    archive = _zip(make_pack(tmp_path), tmp_path / "pack.zip")
    data = bytearray(archive.read_bytes())
    central = data.index(b"PK\x01\x02")  # the first entry's central directory record
    size = struct.unpack_from("<I", data, central + 24)[0]
    struct.pack_into("<I", data, central + 24, size // 2)  # uncompressed size halved
    archive.write_bytes(bytes(data))
    out, _ = cli(studyml_home, "pack", "install", str(archive))
    assert out.returncode == 1
    assert "is damaged or its header is wrong" in out.stderr
    assert "internal error" not in out.stderr and "BadZipFile" not in out.stderr.split("(")[0]


def _as(root, pack_id, version):
    manifest = root / "pack.yaml"
    text = manifest.read_text().replace("id: demo-pack", f"id: {pack_id}").replace("0.1.0", version)
    manifest.write_text(text)
    return root


def test_a_pack_with_the_built_in_id_is_refused_unless_replace_which_counts_orphans(tmp_path, studyml_home):
    root = _as(make_pack(tmp_path), "ml-foundations", "0.1.0")
    out, _ = cli(studyml_home, "pack", "install", str(root))
    assert out.returncode == 1
    assert "belongs to the built-in pack ml-foundations" in out.stderr and "--replace" in out.stderr
    assert not (studyml_home / "packs" / "ml-foundations").exists()

    from studyml.srs.scheduler import Scheduler
    from studyml.srs.store import open_store

    with open_store() as store:
        srs = Scheduler(store)
        for card in ("gradient-descent", "learning-rate"):
            srs.review("ml-foundations", card, 3)
    out, _ = cli(studyml_home, "pack", "install", str(root))
    assert "2 cards with progress are not in it and would be orphaned" in out.stderr
    out, _ = cli(studyml_home, "pack", "install", str(root), "--replace")
    assert out.returncode == 0, out.stderr
    assert "2 cards with progress are orphaned" in out.stdout


def test_a_downgrade_and_a_pack_from_elsewhere_are_refused_unless_asked(tmp_path, studyml_home):
    new = _as(make_pack(tmp_path / "a"), "demo-pack", "0.3.0")
    assert install_pack(new)[0].pack.manifest.version == "0.3.0"
    old = _as(make_pack(tmp_path / "b"), "demo-pack", "0.2.0")
    # The advice was "give the pack its own id", which for a new version of the same pack loses its progress.
    with pytest.raises(
        InstallError,
        match=r"0.3.0 is already installed from .*; this is 0.2.0\. If it is a version of the same pack .*--replace: "
        r"progress is kept.*\(--replace installs 0.2.0 over the newer 0.3.0\)",
    ):
        install_pack(old)
    (new / "pack.yaml").write_text((new / "pack.yaml").read_text().replace("0.3.0", "0.2.0"))
    with pytest.raises(InstallError, match=r"0.2.0 is older than the 0.3.0 you have.*--downgrade"):
        install_pack(new)
    assert install_pack(new, downgrade=True)[0].pack.manifest.version == "0.2.0"
    assert install_pack(old, replace=True)[0].pack.manifest.version == "0.2.0"


_KILLED_BETWEEN_THE_RENAMES = """
import os, sys
from pathlib import Path
from studyml.content import install
real = os.replace
def replace(a, b):
    if Path(a).name == "pack" and Path(a).parent.name.startswith(".staging-"):  # the new copy, into place
        os._exit(9)  # the old copy set aside, the new one not yet in place
    real(a, b)
install.os.replace = replace
if sys.argv[2] == "two renames":
    install._exchange = lambda a, b: False  # a system that cannot swap two folders in one step
install.install_pack(Path(sys.argv[1]))
os._exit(0)
"""


@pytest.mark.parametrize("swap", ["one exchange", "two renames"])
def test_an_update_killed_mid_swap_never_loses_the_pack(tmp_path, studyml_home, swap):
    # Killed between its two renames, an update left no pack in the library (the old copy sat in .staging-…/old).
    import os
    import subprocess
    import sys
    import time

    from studyml.content.folders import pack_folders, put_back_interrupted

    second = _as(make_pack(tmp_path), "demo-pack", "0.2.0")
    install_pack(second)
    (second / "pack.yaml").write_text((second / "pack.yaml").read_text().replace("0.2.0", "0.3.0"))
    run = subprocess.run([sys.executable, "-c", _KILLED_BETWEEN_THE_RENAMES, str(second), swap], env=os.environ)
    installed = studyml_home / "packs" / "demo-pack"
    if swap == "one exchange":  # the swap is one step: nothing to kill between
        assert run.returncode == 0
        assert "0.3.0" in (installed / "pack.yaml").read_text(encoding="utf-8")
        assert not list((studyml_home / "packs").glob(".staging-*"))
        return
    assert run.returncode == 9 and not installed.exists()
    assert put_back_interrupted(studyml_home / "packs") == []  # a minute's grace: an install may still be running
    assert put_back_interrupted(studyml_home / "packs", now=time.time() + 120) == ["demo-pack"]
    assert "0.2.0" in (installed / "pack.yaml").read_text(encoding="utf-8")
    assert installed in [p for p, _ in pack_folders()]
    assert install_pack(second)[1].startswith("updated demo-pack 0.2.0 -> 0.3.0")


def test_an_update_that_finished_its_swap_leaves_nothing_to_put_back(tmp_path, studyml_home, monkeypatch):
    # Killed while its scratch folder was being deleted, an update left its old copy still named for its place: after
    # a `pack remove`, the next listing brought the removed pack back.
    import shutil
    import time

    from studyml.content import install
    from studyml.content.folders import put_back_interrupted

    root = _as(make_pack(tmp_path), "demo-pack", "0.2.0")
    install_pack(root)
    root.joinpath("pack.yaml").write_text(root.joinpath("pack.yaml").read_text().replace("0.2.0", "0.3.0"))
    monkeypatch.setattr(install, "_exchange", lambda a, b: False)
    kept = tmp_path / "kept"
    real_swap = install._swap_in

    def swap_then_killed(staging, final, scratch):
        real_swap(staging, final, scratch)
        shutil.copytree(scratch, kept)  # what a kill during the scratch folder's removal leaves

    monkeypatch.setattr(install, "_swap_in", swap_then_killed)
    install_pack(root)
    shutil.copytree(kept, studyml_home / "packs" / ".staging-killed")
    shutil.rmtree(studyml_home / "packs" / "demo-pack")  # pack remove
    assert put_back_interrupted(studyml_home / "packs", now=time.time() + 120) == []
    assert not (studyml_home / "packs" / "demo-pack").exists()


def test_the_scratch_folders_of_killed_installs_are_cleared(tmp_path, studyml_home):
    import os
    import time

    packs = studyml_home / "packs"
    stale, fresh = packs / ".staging-killed", packs / ".staging-running"
    for scratch in (stale, fresh):
        (scratch / "pack" / "cards").mkdir(parents=True)
    hour_ago = time.time() - 2 * 3600
    os.utime(stale, (hour_ago, hour_ago))
    install_pack(make_pack(tmp_path))
    assert not stale.exists() and fresh.exists()  # another install may be using a fresh one


def test_the_scratch_folder_of_an_update_killed_mid_swap_goes_once_its_pack_is_back(tmp_path, studyml_home):
    # Its old copy put back (or the pack in its place again), it still named its target and was kept for good.
    import os
    import time

    from studyml.content.folders import TARGET_FILE

    packs = studyml_home / "packs"
    put_back, replaced, waiting, unreadable = (
        packs / f".staging-{n}" for n in ("put-back", "replaced", "waiting", "unreadable")
    )
    for scratch, target in ((put_back, "gone-pack"), (replaced, "demo-pack"), (waiting, "lost-pack")):
        scratch.mkdir(parents=True)
        (scratch / TARGET_FILE).write_text(target)
    (unreadable / "old" / "cards").mkdir(parents=True)  # whose it is cannot be told: neither put back nor deleted
    (unreadable / TARGET_FILE).write_bytes(b"\xff\xfe")
    (replaced / "old" / "cards").mkdir(parents=True)  # its pack is in place: the old copy is no longer needed
    (packs / "demo-pack").mkdir()
    (waiting / "old" / "cards").mkdir(parents=True)  # its pack is not in place: put back, never deleted
    hours_ago = time.time() - 2 * 3600
    for scratch in (put_back, replaced, waiting, unreadable):
        os.utime(scratch, (hours_ago, hours_ago))
    install_pack(make_pack(tmp_path))
    assert not put_back.exists() and not replaced.exists()
    assert (unreadable / "old" / "cards").is_dir()
    assert (packs / "lost-pack" / "cards").is_dir()  # the one holding a pack aside gave it back first


def test_an_install_reads_only_the_built_in_packs_manifests_not_their_cards(tmp_path, studyml_home, monkeypatch):
    """Whether a pack takes a built-in pack's place needs the built-in ids and versions alone: each install
    loaded and checked every built-in card and item (half a second of a `pack install`)."""
    import studyml.content.install as install
    from studyml import paths

    builtin = paths.builtin_content_dir().resolve()
    loaded: list[Path] = []
    real = install.load_pack
    monkeypatch.setattr(
        install, "load_pack", lambda root, **kw: loaded.append(Path(root).resolve()) or real(root, **kw)
    )
    install_pack(_as(make_pack(tmp_path), "demo-pack", "0.1.0"))
    assert not [p for p in loaded if p.is_relative_to(builtin)]
    with pytest.raises(InstallError, match="belongs to the built-in pack ml-foundations"):
        install_pack(_as(make_pack(tmp_path / "b"), "ml-foundations", "0.1.0"))

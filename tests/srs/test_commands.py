"""The CLI: JSON output for listings, one-line errors with exit codes instead of tracebacks."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from studyml import paths
from studyml.cli import main
from studyml.srs.scheduler import Scheduler, Settings, count_training_reviews
from studyml.srs.store import Store
from tests.srs.helpers import NOON


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as e:  # argparse usage errors
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


def test_stats_json(capsys):
    with Store() as s:
        Scheduler(s).review("ml-foundations", "x", 3, now=NOON)
    code, out, _ = run(capsys, "stats", "--json", "--days", "7")
    data = json.loads(out)
    assert code == 0 and len(data["reviews_per_day"]) == 7 and data["totals"]["reviews"] == 1
    code, out, _ = run(capsys, "stats")
    assert code == 0 and "True retention" in out


def test_backup_list_and_restore(capsys, tmp_path):
    with Store() as s:
        Scheduler(s).review("p", "c", 3, now=NOON)
    code, out, _ = run(capsys, "srs", "backup", "--json")
    path = json.loads(out)["path"]
    code, out, _ = run(capsys, "srs", "backups", "--json")
    assert code == 0 and [b["path"] for b in json.loads(out)["backups"]] == [path]
    code, out, _ = run(capsys, "srs", "restore", path)
    assert code == 0 and "kept as" in out
    code, _, err = run(capsys, "srs", "restore", str(tmp_path / "nope.sqlite3"))
    assert code == 2 and err.count("\n") == 1 and "no such backup" in err


def test_corrupt_database_is_one_line_and_a_run_error(capsys):
    paths.db_path().write_bytes(b"garbage!" * 100)
    code, out, err = run(capsys, "stats", "--json")
    assert code == 3 and err.count("\n") == 1 and "Traceback" not in err
    assert json.loads(out) == {"ok": False, "error": err.removeprefix("studyml: error: ").strip(), "exit_code": 3}
    assert "studyml srs restore" in err or "No backups" in err
    assert paths.db_path().read_bytes() == b"garbage!" * 100


def test_json_export_import(capsys, tmp_path):
    with Store() as s:
        Scheduler(s).review("p", "c", 3, now=NOON)
    f = tmp_path / "all.json"
    assert run(capsys, "export", "json", str(f))[0] == 0
    code, out, _ = run(capsys, "import", "json", str(f), "--json")
    assert code == 0 and json.loads(out)["reviews"] == 0  # nothing new: no duplicates
    code, _, err = run(capsys, "import", "json", str(tmp_path / "missing.json"))
    assert code == 2 and "no such file" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "json", "{db}"],
        ["export", "anki", "ml-foundations", "-o", "{db}"],
        ["export", "json", "{db}-wal"],
        ["export", "json", "{link}"],
        ["export", "json", "{backup}"],
        ["export", "json", "{plugin}"],  # a plugin author's source in the data dir
        ["export", "json", "{synced}"],  # read by every device as this one's records
    ],
)
def test_an_export_never_replaces_the_progress_database_or_a_backup(capsys, tmp_path, argv):
    # `export json progress.sqlite3` wrote its JSON over the database and exited 0: every review gone.
    with Store() as s:
        Scheduler(s).review("p", "c", 3, now=NOON)
    assert run(capsys, "srs", "backup")[0] == 0
    db = paths.db_path()
    [backup] = list((db.parent / "backups").glob("*.sqlite3"))
    (tmp_path / "link.sqlite3").symlink_to(db)
    plugin = db.parent / "plugins" / "mydemo.py"
    plugin.parent.mkdir()
    plugin.write_text("plugin = None\n")
    folder = tmp_path / "sync"
    folder.mkdir()
    with Store() as s:
        s.set_setting("sync_dir", str(folder))
    names = {
        "db": str(db),
        "link": str(tmp_path / "link.sqlite3"),
        "backup": str(backup),
        "plugin": str(plugin),
        "synced": str(folder / "laptop.jsonl"),
    }
    with Store() as s:
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = {p: p.read_bytes() for p in (db, backup)}
    code, out, err = run(capsys, *[a.format(**names) for a in argv])
    assert code == 2 and ("another file" in err or "outside it" in err), (code, err)
    assert {p: p.read_bytes() for p in (db, backup)} == before
    assert plugin.read_text() == "plugin = None\n" and not (folder / "laptop.jsonl").exists()
    with Store() as s:
        assert len(s.reviews()) == 1


def test_usage_errors_exit_2(capsys):
    assert run(capsys, "export", "anki", "pack")[0] == 2  # -o is required
    assert run(capsys, "stats", "--days", "0")[0] == 2
    assert run(capsys, "srs", "settings", "--retention", "x")[0] == 2


def test_settings(capsys):
    code, out, _ = run(
        capsys, "srs", "settings", "--retention", "0.85", "--new-per-day", "5", "--quiz-reviews", "off", "--json"
    )
    data = json.loads(out)
    assert code == 0 and data["desired_retention"] == 0.85 and data["quiz_reviews"] == "off"
    code, _, err = run(capsys, "srs", "settings", "--retention", "1.5")
    assert code == 2 and "between" in err


def test_optimize_says_how_many_reviews_are_needed(capsys):
    with Store() as s:
        srs = Scheduler(s, Settings(enable_fuzzing=False))
        for day in range(5):
            srs.review("p", "c", 3, now=NOON + timedelta(days=day))
        assert count_training_reviews(s) == 4
    code, out, _ = run(capsys, "srs", "optimize", "--json")
    assert code == 0 and json.loads(out) == {"optimized": False, "training_reviews": 4, "needed": 512}
    code, out, _ = run(capsys, "srs", "optimize")
    assert "4 of 512" in out


def test_export_anki_unknown_pack(capsys, tmp_path):
    code, _, err = run(capsys, "export", "anki", "no-such-pack", "-o", str(tmp_path / "x.apkg"))
    assert code == 2 and err == "studyml: error: no pack 'no-such-pack' (list packs with `studyml pack list`)\n"


def test_export_anki_builtin_pack(capsys, tmp_path):
    library = pytest.importorskip("studyml.content.library")
    packs = [r.pack for r in library.discover_packs() if r.pack is not None]
    if not packs:
        pytest.skip("no built-in pack loads yet")
    pack = packs[0]
    out_file = tmp_path / "x.apkg"
    code, out, err = run(capsys, "export", "anki", pack.manifest.id, "-o", str(out_file), "--json")
    assert code == 0, err
    assert json.loads(out)["notes"] == len(pack.cards) and out_file.stat().st_size > 0


def test_an_anki_export_that_fails_on_a_full_disk_names_the_file(capsys, tmp_path, monkeypatch):
    # "studyml: error: No space left on device", without the file (zipfile's error names none).
    import errno

    import genanki

    def full(self, path, timestamp=None):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(genanki.Package, "write_to_file", full)
    out_file = tmp_path / "x.apkg"
    code, _, err = run(capsys, "export", "anki", "ml-foundations", "-o", str(out_file))
    assert code == 3 and "No space left on device" in err and str(out_file) in err, err
    assert not out_file.exists() and not list(tmp_path.glob("x.apkg*"))  # no part left behind


@pytest.mark.slow
def test_optimize_with_enough_reviews(capsys):
    import random

    from studyml.srs.scheduler import from_ms

    rng = random.Random(0)
    with Store() as s:
        s.conn.execute("PRAGMA synchronous = OFF")  # only to build the history fast
        srs = Scheduler(s, Settings())
        for c in range(160):
            now = NOON + timedelta(hours=rng.randint(0, 200))
            for _ in range(7):
                rating = 3 if s.get("p", f"c{c}") is None else rng.choice((1, 2, 3, 3, 3, 4))
                now = from_ms(srs.review("p", f"c{c}", rating, now=now, duration_ms=3000).due_ms)
        have = count_training_reviews(s)
    assert have >= 512
    code, out, err = run(capsys, "srs", "optimize", "--json", "--dry-run")
    try:
        import pandas
        import tqdm
    except ImportError:
        assert code == 3 and "pip install 'fsrs[optimizer]'" in err and err.count("\n") == 1
        return
    data = json.loads(out)
    assert code == 0 and data["optimized"] and len(data["parameters"]) == 21
    with Store() as s:
        assert Settings.load(s).parameters is None  # --dry-run keeps the defaults

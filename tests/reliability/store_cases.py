"""Fault-matrix cases for the progress store (issue 10, items 5–12), each through the CLI or the store API the app uses."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.reliability import faults
from tests.reliability.matrix import Case, Outcome

CLI = "import sys; from studyml.cli import main; sys.exit(main())"
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@contextmanager
def home(scratch: Path) -> Iterator[Path]:
    """STUDYML_HOME = scratch/home for the in-process store API, restored afterwards."""
    old = os.environ.get("STUDYML_HOME")
    h = scratch / "home"
    h.mkdir(parents=True, exist_ok=True)
    os.environ["STUDYML_HOME"] = str(h)
    try:
        yield h
    finally:
        if old is None:
            os.environ.pop("STUDYML_HOME", None)
        else:
            os.environ["STUDYML_HOME"] = old


def left_behind(marker: Path) -> int:
    """Processes still running whose command line mentions the case's scratch folder."""
    n = 0
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if str(marker).encode() in (proc / "cmdline").read_bytes() and int(proc.name) != os.getpid():
                n += 1
        except OSError:
            continue
    return n


def cli(h: Path, *args: str, timeout: float = 60) -> tuple[subprocess.CompletedProcess | None, float]:
    t0 = time.monotonic()
    try:
        r = subprocess.run(
            [sys.executable, "-c", CLI, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "STUDYML_HOME": str(h)},
        )
    except subprocess.TimeoutExpired:
        return None, time.monotonic() - t0
    return r, time.monotonic() - t0


def judge_cli(
    r: subprocess.CompletedProcess | None, secs: float, want: str, scratch: Path, untouched: bool = True
) -> Outcome:
    if r is None:
        return Outcome("hang", secs, left_behind(scratch))
    if "Traceback" in r.stderr:
        return Outcome("crash", secs, left_behind(scratch), r.stderr.strip().splitlines()[-1][:120])
    if r.returncode != 3 or want not in r.stderr:  # ExitCode.RUN_ERROR: the database cannot be used
        return Outcome("crash", secs, left_behind(scratch), f"exit {r.returncode}: {r.stderr.strip()[:120]}")
    return Outcome("clean" if untouched else "lost", secs, left_behind(scratch), _short(r.stderr))


def _short(message: str, n: int = 90) -> str:
    """One line of a message for the table: without the prefix and the scratch folder's path."""
    import re

    line = " ".join(message.replace("studyml: error: ", "").split())
    return re.sub(r"/tmp/[^ ]*/", "…/", line)[:n]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- 5 ----------------------------------------------------------------------------------------------------


def _unopenable(kind: str, want: str) -> Callable[[Path], Outcome]:
    def run(scratch: Path) -> Outcome:
        h = scratch / "home"
        h.mkdir()
        db = h / "progress.sqlite3"
        with home(scratch):
            faults.UNOPENABLE[kind](db)
        before = digest(db)
        r, secs = cli(h, "srs", "settings", "--retention", "0.85")
        return judge_cli(r, secs, want, scratch, untouched=digest(db) == before)

    return run


# -- 6 ----------------------------------------------------------------------------------------------------

RATE = r"""
import json
from studyml.tui.services import Services
from studyml.srs.store import StoreError
try:
    Services().srs.review("p", "card-0000", 3)
    print(json.dumps({"saved": True}))
except StoreError as e:
    print(json.dumps({"error": str(e), "type": type(e).__name__}))
"""


def _read_only(what: str) -> Callable[[Path], Outcome]:
    def run(scratch: Path) -> Outcome:
        import tempfile

        h = Path(tempfile.mkdtemp(prefix="studyml-ro-"))
        try:
            db = h / "progress.sqlite3"
            faults.seeded_db(db, cards=3)
            script = h / "rate.py"
            script.write_text(RATE)
            os.chmod(script, 0o644)
            if what == "file":
                os.chmod(h, 0o777)
                os.chmod(db, 0o444)
            else:
                os.chmod(db, 0o666)
                os.chmod(h, 0o555)
            before = digest(db)
            cmd = faults.python_as_nobody() if os.geteuid() == 0 else [sys.executable]
            if cmd is None:
                return Outcome("degraded", 0.0, detail="skipped: cannot run as nobody")
            t0 = time.monotonic()
            r = subprocess.run(
                [*cmd, str(script)],
                capture_output=True,
                text=True,
                timeout=60,
                env={**os.environ, "STUDYML_HOME": str(h)},
            )
            secs = time.monotonic() - t0
            if "Traceback" in r.stderr:
                return Outcome("crash", secs, detail=r.stderr.strip().splitlines()[-1][:120])
            out = json.loads(r.stdout.strip().splitlines()[-1])
            msg = out.get("error", "")
            ok = (
                out.get("type") == "ReadOnlyError"
                and "read-only" in msg
                and "corrupt" not in msg
                and digest(db) == before
            )
            user = "as nobody" if os.geteuid() == 0 else "unprivileged"
            return Outcome("clean" if ok else "crash", secs, detail=f"{user}: {_short(msg, 80)}")
        finally:
            os.chmod(h, 0o755)
            import shutil

            shutil.rmtree(h, ignore_errors=True)

    return run


# -- 7 ----------------------------------------------------------------------------------------------------


def disk_full(scratch: Path) -> Outcome:
    from studyml.srs.scheduler import Scheduler
    from studyml.srs.store import DiskFullError, Store, StoreError

    mnt = scratch / "tmpfs"
    if not faults.mount_tmpfs(mnt, "2m"):
        return Outcome("degraded", 0.0, detail="skipped: no tmpfs (needs root); see the injected test")
    try:
        with home(scratch):
            os.environ["STUDYML_HOME"] = str(mnt)
            with Store() as store:
                srs, acked, error = Scheduler(store), ["warm-up"], None
                srs.review("full", "warm-up", 3, now=NOON)  # the app was studying when the disk filled up
                faults.fill_disk(mnt)
                t0 = time.monotonic()
                for i in range(5000):
                    try:
                        srs.review("full", f"c{i}", 3, now=NOON + timedelta(seconds=i))
                        acked.append(f"c{i}")
                    except StoreError as e:
                        error = e
                        break
                secs = time.monotonic() - t0
            (mnt / "filler").unlink()
            with Store() as store:
                stored = {r.card_id for r in store.reviews(pack_id="full")}
                ok = store.integrity_check() == "ok"
        if not isinstance(error, DiskFullError):
            return Outcome("crash", secs, detail=repr(error))
        if stored != set(acked) or not ok:
            return Outcome("lost", secs, detail=f"acked {len(acked)}, stored {len(stored)}")
        return Outcome("clean", secs, detail=f"2 MB tmpfs: {len(acked)} acked = stored; {_short(str(error), 60)}")
    finally:
        faults.umount(mnt)


def backup_space_short(scratch: Path) -> Outcome:
    import shutil

    from studyml.srs import backup as backup_mod
    from studyml.srs.store import Store

    with home(scratch) as h:
        faults.seeded_db(h / "progress.sqlite3", cards=5)
        real = shutil.disk_usage
        backup_mod.shutil.disk_usage = lambda p: real(p)._replace(free=2 * 1024 * 1024)
        t0 = time.monotonic()
        try:
            with Store() as store:
                backup_mod.backup(store)
            return Outcome("crash", time.monotonic() - t0, detail="a backup was taken with 2 MiB free")
        except backup_mod.BackupSkipped as e:
            left = list((h / "backups").iterdir())
            return Outcome("clean" if not left else "lost", time.monotonic() - t0, detail=_short(str(e)))
        finally:
            backup_mod.shutil.disk_usage = real


# -- 8 ----------------------------------------------------------------------------------------------------


def corrupt_middle(scratch: Path) -> Outcome:
    h = scratch / "home"
    h.mkdir()
    db = h / "progress.sqlite3"
    with home(scratch):
        faults.seeded_db(db)
    r, _ = cli(h, "srs", "backup")
    faults.random_middle(db)
    before = digest(db)
    r, secs = cli(h, "srs", "settings", "--retention", "0.85")
    out = judge_cli(r, secs, "studyml srs restore", scratch, untouched=digest(db) == before)
    rb, _ = cli(h, "srs", "backup")
    if rb is None or rb.returncode != 3 or "no backup was taken" not in rb.stderr:  # ExitCode.RUN_ERROR
        return Outcome("lost", secs, detail="the backup of a damaged database did not report")
    return out


# -- 9 ----------------------------------------------------------------------------------------------------


def two_windows(scratch: Path) -> Outcome:
    from studyml.srs.scheduler import Scheduler
    from studyml.srs.store import Store

    rounds, errors = 100, []
    with home(scratch):
        Store().close()
        barrier = threading.Barrier(2)

        def window(rating: int) -> None:
            with Store() as store:
                srs = Scheduler(store)
                for i in range(rounds):
                    barrier.wait()
                    try:
                        srs.review("p", f"c{i}", rating, now=NOON)
                    except Exception as e:
                        errors.append(repr(e))

        t0 = time.monotonic()
        threads = [threading.Thread(target=window, args=(r,)) for r in (3, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        secs = time.monotonic() - t0
        with Store() as store:
            ignored = sum(1 for i in range(rounds) if (store.get("p", f"c{i}").reps or 0) != 2)
            count = store.review_count()
    if errors:
        return Outcome("crash", secs, detail=f"{len(errors)} errors, e.g. {errors[0][:80]}")
    if ignored or count != 2 * rounds:
        return Outcome("lost", secs, detail=f"{ignored} cards ignore a review; {count} of {2 * rounds} stored")
    return Outcome("clean", secs, detail=f"{rounds} simultaneous pairs: {count} reviews, none ignored")


# -- 10, 11 -------------------------------------------------------------------------------------------------


def restore_while_open(scratch: Path) -> Outcome:
    from studyml.srs.backup import backup
    from studyml.srs.store import Store
    from studyml.tui.services import Services

    with home(scratch) as h:
        srs = Services().srs
        srs.review("p", "kept", 3, now=NOON)
        saved = backup(srs.store)
        srs.review("p", "rolled-back", 3, now=NOON)
        r, secs = cli(h, "srs", "restore", str(saved))
        if r is None or r.returncode != 0:
            return Outcome("crash", secs, detail=(r.stderr if r else "timeout")[:100])
        srs.review("p", "after", 3, now=NOON)
        srs.store.close()
        with Store() as live:
            cards = {x.card_id for x in live.reviews()}
    ok = cards == {"kept", "after"}
    return Outcome("clean" if ok else "lost", secs, detail=f"live database holds {sorted(cards)}")


RESTORER = "import sys\nfrom studyml.srs.backup import restore\nprint('start', flush=True)\nrestore(sys.argv[1])\n"


def restore_killed(scratch: Path) -> Outcome:
    from studyml.srs.backup import backup
    from studyml.srs.scheduler import Scheduler
    from studyml.srs.store import Store

    script = scratch / "restorer.py"
    script.write_text(RESTORER)
    rng, kills, bad = random.Random(3), 12, []
    with home(scratch) as h:
        with Store() as s:
            for i in range(200):
                Scheduler(s).review("p", f"c{i}", 3, now=NOON)
            saved = backup(s)
        t0 = time.monotonic()
        for _ in range(kills):
            with Store() as s:
                if s.review_count() == 200:  # restored last round: make the live database differ again
                    Scheduler(s).review("p", "newest", 3, now=NOON)
            p = subprocess.Popen(
                [sys.executable, str(script), str(saved)],
                stdout=subprocess.PIPE,
                text=True,
                env={**os.environ, "STUDYML_HOME": str(h)},
            )
            p.stdout.readline()
            time.sleep(rng.uniform(0, 0.05))
            p.send_signal(signal.SIGKILL)
            p.wait()
            if not (h / "progress.sqlite3").exists():
                bad.append("no database")
                break
            with Store() as s:
                if s.integrity_check() != "ok" or s.review_count() not in (200, 201):
                    bad.append("damaged")
        secs = (time.monotonic() - t0) / kills
    if bad:
        return Outcome("lost", secs, left_behind(scratch), f"{bad[0]} after a killed restore")
    return Outcome("clean", secs, left_behind(scratch), f"{kills} restores killed: always the old or the new")


def missing_with_backups(scratch: Path) -> Outcome:
    from studyml.srs.backup import backup
    from studyml.srs.scheduler import Scheduler
    from studyml.srs.store import Store

    with home(scratch) as h:
        with Store() as s:
            Scheduler(s).review("p", "c", 3, now=NOON)
            backup(s)
        (h / "progress.sqlite3").unlink()
    r, secs = cli(h, "stats")
    return judge_cli(r, secs, "is missing, but backups", scratch, untouched=not (h / "progress.sqlite3").exists())


def stale_part(scratch: Path) -> Outcome:
    from studyml.srs.store import Store

    with home(scratch) as h:
        Store().close()
        (h / "backups").mkdir()
        part = h / "backups" / "progress-20260101T000000000000Z.sqlite3.x.part"
        part.write_bytes(b"half")
        os.utime(part, (time.time() - 3600, time.time() - 3600))
    r, secs = cli(h, "srs", "backup")
    if r is None or r.returncode != 0:
        return Outcome("crash", secs, detail=(r.stderr if r else "timeout")[:100])
    return Outcome("clean" if not part.exists() else "degraded", secs, detail="stale .part removed by the next backup")


# -- 12 ----------------------------------------------------------------------------------------------------


def _import(records: dict, want: str, raw: str | None = None) -> Callable[[Path], Outcome]:
    def run(scratch: Path) -> Outcome:
        h = scratch / "home"
        h.mkdir()
        f = scratch / "in.json"
        f.write_text(raw if raw is not None else json.dumps({"format": "studyml-progress", "version": 1, **records}))
        r, secs = cli(h, "import", "json", str(f))
        with home(scratch):
            from studyml.srs.store import Store

            with Store() as s:
                empty = s.review_count() == 0 and s.states() == []
        return judge_cli(r, secs, want, scratch, untouched=empty)

    return run


def export_nonfinite(scratch: Path) -> Outcome:
    from studyml.srs.scheduler import Scheduler
    from studyml.srs.store import Store

    with home(scratch) as h:
        with Store() as s:
            Scheduler(s).review("p", "c", 3, now=NOON)
            s.conn.execute("UPDATE progress SET stability = ?", (float("inf"),))
    r, secs = cli(h, "export", "json", str(scratch / "out.json"))
    if r is None or r.returncode != 0:
        return Outcome("crash", secs, detail=(r.stderr if r else "timeout")[:100])
    try:
        json.loads((scratch / "out.json").read_text(), parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    except ValueError as e:
        return Outcome("lost", secs, detail=f"not strict JSON: {e}")
    return Outcome("clean", secs, detail=_short(r.stdout))


def kill_loop(scratch: Path) -> Outcome:
    from studyml.srs.store import Store
    from tests.reliability.test_kill_loop import RATER

    script = scratch / "rater.py"
    script.write_text(RATER)
    rng, kills, acked, checks = random.Random(5), 20, set(), []
    with home(scratch) as h:
        Store().close()
        t0 = time.monotonic()
        for run in range(kills):
            p = subprocess.Popen(
                [sys.executable, str(script), f"r{run}"],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                env={**os.environ, "STUDYML_HOME": str(h)},
            )
            lines: list[str] = []
            reader = threading.Thread(target=lambda: lines.extend(p.stdout), daemon=True)
            reader.start()
            deadline = time.monotonic() + 20
            while not lines and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(rng.uniform(0.01, 0.15))
            p.send_signal(signal.SIGKILL)
            p.wait()
            reader.join(5)
            acked |= {(x.split()[1], int(x.split()[2])) for x in lines if x.startswith("ack ") and x.endswith("\n")}
            with Store() as s:
                checks.append(s.integrity_check())
        secs = (time.monotonic() - t0) / kills
        with Store() as s:
            stored = {(r.card_id, r.time_ms) for r in s.reviews(pack_id="kill")}
    lost = len(acked - stored)
    detail = (
        f"{kills} SIGKILLs: {len(acked)} acknowledged, {len(stored)} stored, {lost} lost, "
        f"integrity ok {checks.count('ok')}/{kills}"
    )
    return Outcome("clean" if not lost and checks.count("ok") == kills else "lost", secs, left_behind(scratch), detail)


REVIEW = {"time_ms": 1000, "pack_id": "p", "card_id": "c", "rating": 3, "state_after": {"state": 1}}

CASES = [
    Case("store: not SQLite", _unopenable("not-sqlite", "not a database")),
    Case("store: truncated", _unopenable("truncated", "corrupt or unreadable")),
    Case("store: newer schema", _unopenable("newer-schema", "newer studyml")),
    Case("store: foreign SQLite file", _unopenable("foreign-sqlite", "not a studyml progress database")),
    Case("store: read-only file", _read_only("file")),
    Case("store: read-only folder", _read_only("folder")),
    Case("store: disk full while rating", disk_full),
    Case("store: backup with space short", backup_space_short),
    Case("store: 4 KB random mid-file", corrupt_middle),
    Case("store: two windows, same card", two_windows),
    Case("store: restore while open", restore_while_open),
    Case("store: restore killed", restore_killed),
    Case("store: missing db, backups exist", missing_with_backups),
    Case("store: stale backup .part", stale_part),
    Case("store: import rating 7", _import({"reviews": [{**REVIEW, "rating": 7}]}, "reviews[0].rating")),
    Case(
        "store: import stability 'abc'",
        _import({"reviews": [{**REVIEW, "state_after": {"stability": "abc"}}]}, "reviews[0].state_after.stability"),
    ),
    Case(
        "store: import state 99",
        _import({"progress": [{"pack_id": "p", "card_id": "c", "state": 99}]}, "progress[0].state"),
    ),
    Case("store: import bad settings", _import({"settings": {"srs": {"desired_retention": 5}}}, "settings.srs")),
    Case("store: import 100k-deep JSON", _import({}, "nested too deeply", raw="[" * 100_000 + "]" * 100_000)),
    Case("store: export non-finite", export_nonfinite),
    Case("store: kill loop (app path)", kill_loop),
]

"""Progress-store faults (issue 10, items 5–12) through the CLI or the store the app uses: `make faults`, and tests."""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
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
from tests.reliability.kill_loop import kill_loop as run_kill_loop
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
    r: subprocess.CompletedProcess | None,
    secs: float,
    want: str | list[str],
    scratch: Path,
    untouched: bool = True,
    code: int = 3,  # ExitCode.RUN_ERROR: the database cannot be used; CHECK_FAILED (1) for a bad import file
) -> Outcome:
    """Clean: one `studyml: error: …` saying each of `want`, exit `code`, no traceback, nothing touched."""
    if r is None:
        return Outcome("hang", secs, left_behind(scratch))
    if "Traceback" in r.stderr:
        return Outcome("crash", secs, left_behind(scratch), r.stderr.strip().splitlines()[-1][:120])
    wants = [want] if isinstance(want, str) else want
    said = r.stderr.startswith("studyml: error: ") and all(w in r.stderr for w in wants)
    if r.returncode != code or not said:
        return Outcome("crash", secs, left_behind(scratch), f"exit {r.returncode}: {_short(r.stderr, 110)}")
    return Outcome("clean" if untouched else "lost", secs, left_behind(scratch), _short(r.stderr))


def _short(message: str, n: int = 90) -> str:
    """One line of a message for the table: without the prefix and the scratch folder's path."""
    line = " ".join(message.replace("studyml: error: ", "").split())
    return re.sub(r"/tmp/[^ ]*/", "…/", line)[:n]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- 5 ----------------------------------------------------------------------------------------------------


def _unopenable(kind: str) -> Callable[[Path], Outcome]:
    want = faults.UNOPENABLE_SAYS[kind]

    def run(scratch: Path) -> Outcome:
        h = scratch / "home"
        h.mkdir()
        db = h / "progress.sqlite3"
        with home(scratch):
            faults.UNOPENABLE[kind](db)
        before = digest(db)
        r, secs = cli(h, "srs", "settings", "--retention", "0.85")  # a command that reads and then writes
        return judge_cli(r, secs, want, scratch, untouched=digest(db) == before)

    return run


# -- 6 ----------------------------------------------------------------------------------------------------

RATE = r"""
import json
from studyml.tui.services import Services
from studyml.srs.store import StoreError
out = {}
try:
    srs = Services().srs
    out["counts"] = srs.counts("p", ["card-0000", "card-0001"])
    srs.review("p", "card-0000", 3)
    out["saved"] = True
except StoreError as e:
    out["error"], out["type"] = str(e), type(e).__name__
print(json.dumps(out))
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
                "saved" not in out
                and out.get("type") == "ReadOnlyError"
                and "read-only" in msg
                and str(db if what == "file" else h) in msg  # says where
                and "corrupt" not in msg
                and "aside" not in msg
                and digest(db) == before
                # The learner still sees the counts: with only the file read-only the folder takes -wal and -shm; with
                # the folder read-only too the database is read whole (it said "cannot be opened", even to read).
                and out.get("counts", {}).get("cards") == 2
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
                filler = faults.fill_disk(mnt)
                t0 = time.monotonic()
                for i in range(5000):
                    try:
                        srs.review("full", f"c{i}", 3, now=NOON + timedelta(seconds=i))
                        acked.append(f"c{i}")
                    except StoreError as e:
                        error = e
                        break
                secs = time.monotonic() - t0
            try:  # a window opened on the full disk says so too (or opens, if the closing checkpoint freed pages)
                Store().close()
                reopened = None
            except StoreError as e:
                reopened = e
            filler.unlink()
            with Store() as store:
                stored = {r.card_id for r in store.reviews(pack_id="full")}
                ok = store.integrity_check() == "ok"
        if not isinstance(error, DiskFullError) or "full" not in str(error) or str(mnt) not in str(error):
            return Outcome("crash", secs, detail=f"after {len(acked)} ratings: {error!r}")
        if reopened is not None and not (isinstance(reopened, DiskFullError) and "is full" in str(reopened)):
            return Outcome("crash", secs, detail=f"reopening on the full disk: {reopened!r}")
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
        backup_mod.shutil.disk_usage = lambda p: real(p)._replace(free=1024 * 1024)
        t0 = time.monotonic()
        try:
            with Store() as store:
                backup_mod.backup(store)
            return Outcome("crash", time.monotonic() - t0, detail="a backup was taken with 1 MiB free")
        except backup_mod.BackupSkipped as e:
            said = re.search(r"backup skipped: 1\.0 MiB free in .*backups", str(e))
            left = list((h / "backups").iterdir())
            outcome = "crash" if not said else "lost" if left else "clean"
            return Outcome(outcome, time.monotonic() - t0, detail=_short(str(e)))
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
            by_card: dict[str, list] = {}
            for r in store.reviews(pack_id="p"):
                by_card.setdefault(r.card_id, []).append(r)
            # The later review of each pair built on the earlier one: nothing ignored.
            ignored += sum(
                1 for pair in by_card.values() if len(pair) == 2 and pair[1].state_before != pair[0].state_after
            )
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
        r, secs = cli(h, "srs", "restore", str(saved))  # another process, as the learner would
        if r is None or r.returncode != 0 or "kept as " not in r.stdout:
            return Outcome("crash", secs, detail=(r.stderr if r else "timeout")[:100])
        aside = Path(r.stdout.split("kept as ")[1].rstrip(".\n"))
        noticed = srs.store.changed_elsewhere()
        srs.review("p", "after", 3, now=NOON)
        srs.store.close()
        with Store() as live:
            cards = {x.card_id for x in live.reviews()}
        with Store(aside) as old:
            kept = {x.card_id for x in old.reviews()}
    ok = noticed and cards == {"kept", "after"} and kept == {"kept", "rolled-back"}
    return Outcome("clean" if ok else "lost", secs, detail=f"live holds {sorted(cards)}, the one aside {sorted(kept)}")


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
                cards = {r.card_id for r in s.reviews()}
                if s.integrity_check() != "ok" or cards - {"newest"} != {f"c{i}" for i in range(200)}:
                    bad.append("neither the old nor the new database")
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
    return judge_cli(
        r,
        secs,
        ["is missing, but backups", "studyml srs restore"],
        scratch,
        untouched=not (h / "progress.sqlite3").exists(),
    )


def stale_part(scratch: Path) -> Outcome:
    """Copies left by killed backups go at the next backup, however recent; the copy of a backup running now (it
    holds its file) stays. (A killed backup's copy, as large as the database, stayed for 10 minutes.)"""
    from studyml.srs.store import Store

    with home(scratch) as h:
        Store().close()
        (h / "backups").mkdir()
        old = h / "backups" / "progress-20260101T000000000000Z.sqlite3.x.part"
        old.write_bytes(b"half")
        os.utime(old, (time.time() - 3600, time.time() - 3600))
        killed = h / "backups" / "progress-20260101T000000000001Z.sqlite3.y.part"  # its writer died a second ago
        killed.write_bytes(b"half")
        (h / "backups" / f"{killed.name}-journal").write_bytes(b"journal")  # SQLite's, beside it
        running = h / "backups" / "progress-20260101T000000000002Z.sqlite3.z.part"  # a backup at work now
        running.write_bytes(b"in progress")
        holder = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR); fcntl.flock(fd, fcntl.LOCK_EX); "
                "print('held', flush=True); time.sleep(120)",
                str(running),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
            r, secs = cli(h, "srs", "backup")
        finally:
            holder.kill()
            holder.wait()
    if r is None or r.returncode != 0:
        return Outcome("crash", secs, detail=(r.stderr if r else "timeout")[:100])
    if not running.exists():
        return Outcome("lost", secs, detail="the .part of a backup running now was removed")
    left = [p.name for p in (old, killed, h / "backups" / f"{killed.name}-journal") if p.exists()]
    if left:
        return Outcome("degraded", secs, detail=f"left by killed backups, outlived the next one: {left}")
    return Outcome("clean", secs, detail="killed backups' .part and journal removed, a running one's kept")


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
        return judge_cli(r, secs, want, scratch, untouched=empty, code=1)  # ExitCode.CHECK_FAILED: a bad file

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
    with home(scratch) as h:
        loop = run_kill_loop(h, kills=24, seed=2026)
    problems = loop.problems()
    outcome = "lost" if problems else "clean"
    return Outcome(outcome, loop.seconds / loop.kills, left_behind(scratch), "; ".join(problems) or loop.summary())


REVIEW = {"time_ms": 1000, "pack_id": "p", "card_id": "c", "rating": 3, "state_after": {"state": 1}}

CASES = [
    Case("store: not SQLite", _unopenable("not-sqlite")),
    Case("store: truncated", _unopenable("truncated")),
    Case("store: newer schema", _unopenable("newer-schema")),
    Case("store: foreign SQLite file", _unopenable("foreign-sqlite")),
    Case("store: read-only file", _read_only("file"), slow=True),
    Case("store: read-only folder", _read_only("folder"), slow=True),
    Case("store: disk full while rating", disk_full),
    Case("store: backup with space short", backup_space_short),
    Case("store: 4 KB random mid-file", corrupt_middle),
    Case("store: two windows, same card", two_windows),
    Case("store: restore while open", restore_while_open),
    Case("store: restore killed", restore_killed, slow=True),
    Case("store: missing db, backups exist", missing_with_backups),
    Case("store: stale backup .part", stale_part),
    Case(
        "store: import rating 7",
        _import({"reviews": [{**REVIEW, "rating": 7}]}, "reviews[0].rating: Input should be 1, 2, 3 or 4"),
    ),
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
    Case("store: kill loop (app path)", kill_loop, slow=True),
]

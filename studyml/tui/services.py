"""What the screens talk to: packs, the progress store and the demo runner, each opened lazily."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from studyml import paths
from studyml.tui.i18n import tr

if TYPE_CHECKING:  # the loader (yaml, pydantic models) is imported by the pack-loading thread, after the first frame
    from studyml.content.loader import Pack, PackResult
    from studyml.content.summary import PackSummary
    from studyml.demos.discovery import Registry
    from studyml.demos.runner import DemoRunner
    from studyml.srs.scheduler import Scheduler


class Services:
    """Shared by every screen. Packs load in a thread after the first frame; nothing here imports torch or sympy."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.packs: list[PackResult] | None = None
        self._srs: Scheduler | None = None
        self._runner: DemoRunner | None = None
        self.store_error: str | None = None
        # plugin id -> the demo screen's last field texts and result, shown again when it is reopened
        self.demo_memory: dict[str, dict[str, Any]] = {}
        self._signature: dict | None = None  # pack files' (mtime, size) when packs were last loaded
        self.broken_edits: dict[str, list] = {}  # pack folder -> errors of an edit; its last good version is kept

    # -- content ----------------------------------------------------------------------------
    def load_packs(self) -> list[PackResult]:
        from studyml.content.library import discover_packs

        known = set(self.plugins())
        signature = self.pack_files_signature()  # before loading: an edit made meanwhile is seen next time
        packs = discover_packs(known_demos=known)
        with self._lock:
            self.packs, self._signature = packs, signature
        self._remember(signature, packs)
        return packs

    def cached_packs(self) -> list[PackSummary] | None:
        """The library's rows as the last run left them, if no pack file changed since; None otherwise.

        Cheap enough for the first frame: it stats the pack files and reads one JSON file, without pydantic,
        YAML or plugin discovery. Only for showing: the packs themselves come from `load_packs`.
        """
        from studyml.content.summary import read_summary

        try:
            return read_summary(self.pack_files_signature(quick=True))
        except Exception:  # a cache must never stop the app: the real load follows anyway
            return None

    def cached_counts(self, summaries: list[PackSummary]) -> dict[str, dict]:
        """Due, new and mastery of the cached packs by pack id, from the store alone; {} if it cannot be read.

        The library shows them before validation ends; a store problem is reported by the real load, not here.
        """
        if not paths.db_path().exists():
            return {}  # nothing studied yet: the real load creates the database
        try:
            from studyml.srs.scheduler import Scheduler
            from studyml.srs.store import open_store

            # Its own connection: this runs in the loading thread, and SQLite connections stay in their thread.
            with open_store() as store:
                srs = Scheduler(store)
                return {s.id: srs.counts(s.id, list(s.card_ids)) for s in summaries if s.ok}
        except Exception:
            return {}

    def _remember(self, signature: dict, results: list[PackResult]) -> None:
        from studyml.content.summary import write_summary

        write_summary(signature, results)

    def pack_files_signature(self, quick: bool = False) -> dict:
        """(mtime, size) of every pack file of every pack folder: a cheap way to see that one was edited.

        `quick`: the package packs as the last scan found them while sys.path is unchanged (for the first frame).
        """
        from studyml.content.folders import pack_folders
        from studyml.content.watch import snapshot

        return {f"{source}:{folder}": snapshot(folder) for folder, source in pack_folders(quick=quick)}

    def reload_if_changed(self) -> bool:
        """Re-validate the packs when their files changed since the last load (call it from a thread).

        A pack whose edit broke it keeps its last good version, so a session in progress loses nothing; the
        edit's errors are kept in `broken_edits` to show. True when the packs were reloaded.
        """
        from studyml.content.library import discover_packs

        if self.packs is None:
            return False
        signature = self.pack_files_signature()
        if signature == self._signature:
            return False
        fresh = discover_packs(known_demos=set(self.plugins()))
        previous = {str(r.path): r for r in self.packs}
        merged, broken = [], {}
        for r in fresh:
            old = previous.get(str(r.path))
            if r.pack is None and old is not None and old.pack is not None:
                merged.append(old)
                broken[str(r.path)] = r.errors
            else:
                merged.append(r)
        with self._lock:
            self.packs, self._signature, self.broken_edits = merged, signature, broken
        self._remember(signature, fresh)  # what the files hold now, not the last good versions kept for this session
        return True

    def pack(self, pack_id: str) -> Pack | None:
        for r in self.packs or []:
            if r.pack is not None and r.pack.id == pack_id:
                return r.pack
        return None

    def good_packs(self) -> list[Pack]:
        return [r.pack for r in self.packs or [] if r.pack is not None]

    # -- demos --------------------------------------------------------------------------------
    def plugins(self) -> dict[str, dict[str, Any]]:
        """Plugin metadata by id, from the runner's registry: the one registry of the app.

        The metadata is read by a worker subprocess (or from its cache): no plugin code runs in the app.
        The pack-loading thread asks first, so screens find it ready.
        """
        reg = self._registry()
        return {pid: info.plugin.metadata() for pid, info in reg.plugins.items()} if reg is not None else {}

    def _registry(self) -> Registry | None:
        try:
            return self.runner.registry
        except Exception:  # a broken plugin folder must not stop the app; `studyml demo list` shows why
            return None

    def unusable_plugins(self) -> list[dict[str, Any]]:
        """Plugins found that cannot run (broken, incompatible, one id twice), each with its id, title and problem:
        the demo list names them, as the library names a broken pack, so an author sees why one is missing."""
        from studyml.demos.runner import plugin_listing

        reg = self._registry()
        return [m for m in plugin_listing(reg) if m.get("status") != "ok"] if reg is not None else []

    def plugins_ready(self) -> bool:
        """Whether `plugins()` answers at once (discovery reads every plugin in a subprocess: seconds, cold)."""
        return self.runner.registry_ready

    @property
    def runner(self) -> DemoRunner:
        with self._lock:
            if self._runner is None:
                from studyml.demos.runner import DemoRunner

                self._runner = DemoRunner()
            return self._runner

    def start_warm_worker(self) -> None:
        try:
            self.runner.start_warm()
        except Exception:  # warm-up is an optimisation; a cold start still works
            pass

    # -- progress -----------------------------------------------------------------------------
    @property
    def srs(self) -> Scheduler:
        """The scheduler over the progress store; raises StoreError (with what to do) if it cannot be opened."""
        with self._lock:
            if self._srs is None:
                from studyml.srs.scheduler import Scheduler
                from studyml.srs.store import StoreError, open_store

                try:
                    self._srs = Scheduler(open_store())
                except StoreError as e:
                    self.store_error = str(e)
                    raise
                self.store_error = None
            return self._srs

    def store_problem(self, e: BaseException) -> str | None:
        """What to tell the learner about a failed store call, or None if `e` is not a store failure."""
        import sqlite3

        from studyml.srs.store import StoreError

        if isinstance(e, sqlite3.Error) and self._srs is not None:
            e = self._srs.store.explain(e)
        return str(e) if isinstance(e, (StoreError, sqlite3.Error)) else None

    def backup(self) -> str | None:
        """A backup of the progress database when the last one is old (at start and exit).

        Returns what the learner must hear (a skipped or failed backup), or None; never raises.
        """
        if not paths.db_path().exists():
            return None  # nothing studied yet: nothing to keep
        try:
            from studyml.srs.backup import auto_backup

            auto_backup()
        except Exception as e:  # never block start or exit, but never fail silently either
            return str(e)
        return None

    def sync(self, lang: str = "en") -> tuple[str, bool] | None:
        """Sync with the remembered folder (set in the study options, or `studyml sync DIR --remember`), at start
        and exit; None when none is set or nothing happened.

        Returns a summary in `lang` and whether it reports a problem (a failure, a file not read, a record skipped:
        said as a warning, with the first problem's file and line). Never raises: a sync folder that is gone or
        unreadable must not stop the app (nothing local is changed by a failed sync).
        """
        if not paths.db_path().exists():
            return None
        try:
            from studyml.srs.store import open_store
            from studyml.srs.sync import ANOTHER_WRITER, DAMAGED, FOLDER_SETTING, NOT_SENT, SyncFolderMissing, sync

            # Its own connection: this runs in a worker thread, and SQLite connections stay in their thread.
            with open_store() as store:
                folder = store.get_setting(FOLDER_SETTING)
                if not folder:
                    return None
                try:
                    report = sync(store, str(folder))
                except SyncFolderMissing:
                    return tr("sync.folder_missing", lang, folder=str(folder)), True
        except Exception as e:  # reported, never fatal
            return tr("sync.failed", lang, error=str(e)), True
        if not (report.sent or report.received or report.undone or report.problems):
            return None
        message = tr("sync.done", lang, sent=report.sent, received=report.received)
        if report.undone:
            message += tr("sync.undone", lang, n=report.undone)
        codes = {p.code for p in report.problems}
        problems = [p for p in report.problems if not p.code]  # the rest is said in the learner's words, below
        if problems:
            files = sum(1 for p in problems if p.line == 0)  # a file not read at all, not a record of it
            if files:
                message += tr("sync.files_not_read", lang, n=files)
            if len(problems) > files:
                message += tr("sync.skipped", lang, n=len(problems) - files)
            message += tr("sync.first_problem", lang, problem=str(problems[0]))
        if DAMAGED in codes:
            message += tr("sync.damaged", lang)
        if ANOTHER_WRITER in codes:
            message += tr("sync.another_writer", lang)
        if NOT_SENT in codes:
            message += tr("sync.not_sent", lang, folder=str(folder))
        return message, bool(report.problems)

    def close(self) -> None:
        if self._runner is not None:
            try:
                self._runner.close()
            except Exception:
                pass

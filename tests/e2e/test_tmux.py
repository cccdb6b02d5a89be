"""End to end: the real `studyml` command in tmux — study, quiz, demo, quit — then the records are in the data dir."""

from __future__ import annotations

import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"),
]

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / "studyml"
FAST_DEMOS = ["monte-carlo", "minibatch-noise", "backprop-chain-rule", "bias-variance"]


class Tmux:
    """One private tmux server (its own socket) running one session of the app."""

    def __init__(self, command: str, env: dict[str, str]):
        self.socket = f"studyml-e2e-{uuid.uuid4().hex[:10]}"
        self.session = "app"
        env_args = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        self._run("new-session", "-d", "-s", self.session, "-x", "120", "-y", "40", f"env {env_args} {command}")
        self._run("set-option", "-g", "escape-time", "0")

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check, timeout=20
        )

    def keys(self, *keys: str) -> None:
        """Named keys (Enter, Space, Escape, C-p) or single characters."""
        for key in keys:
            self._run("send-keys", "-t", self.session, key)
            time.sleep(0.05)

    def type(self, text: str) -> None:
        self._run("send-keys", "-t", self.session, "-l", text)

    def type_into(self, text: str, shown: str, timeout: float = 10.0) -> None:
        """Type into a widget that takes focus just after it appears: retype until `shown` is on screen."""
        deadline = time.monotonic() + timeout
        while True:
            self.type(text)
            try:
                self.wait_for(shown, timeout=1.0)
                return
            except AssertionError:
                if time.monotonic() > deadline:
                    raise
                self.keys(*["BSpace"] * len(text))

    def screen(self) -> str:
        proc = self._run("capture-pane", "-p", "-t", self.session, check=False)
        return proc.stdout

    def alive(self) -> bool:
        return self._run("has-session", "-t", self.session, check=False).returncode == 0

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            if not self.alive():
                raise AssertionError(f"the app exited while waiting for {text!r}; last screen:\n{screen}")
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear within {timeout:g} s; the screen shows:\n{screen}")

    def wait_gone(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while self.alive():
            if time.monotonic() > deadline:
                raise AssertionError(f"the app did not exit; the screen shows:\n{self.screen()}")
            time.sleep(0.1)

    def kill(self) -> None:
        self._run("kill-server", check=False)


def _command() -> str:
    if SCRIPT.exists():
        return shlex.quote(str(SCRIPT))
    return f"{shlex.quote(sys.executable)} -m studyml.cli"


def _pick_demo() -> tuple[str, str] | None:
    from studyml.tui.services import Services

    plugins = Services().plugins()
    for pid in FAST_DEMOS + sorted(plugins):
        if pid in plugins:
            return pid, plugins[pid]["title"]["en"]
    return None


def test_study_quiz_demo_quit_in_a_real_terminal(studyml_home):
    from studyml.content.scaffold import scaffold

    pack = scaffold(studyml_home / "packs" / "e2e-pack")
    # Keep only the scaffold's numeric item (answer 0.25): one quiz item with a known answer.
    quiz = pack / "quizzes" / "basics.yaml"
    items = quiz.read_text(encoding="utf-8").split("\n- id: ")
    numeric = next(i for i in items if "kind: numeric" in i)
    quiz.write_text("- id: " + numeric.removeprefix("- id: ").rstrip() + "\n", encoding="utf-8")
    has_demo_screen = importlib.util.find_spec("studyml.tui.screens.demo") is not None
    demo = _pick_demo() if has_demo_screen else None

    env = {
        "STUDYML_HOME": str(studyml_home),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(studyml_home),
    }
    tmux = Tmux(_command(), env)
    try:
        tmux.wait_for("My pack", timeout=30)  # the library, packs loaded

        # Study: open the pack from the command palette, flip, rate Good.
        tmux.keys("C-p")
        tmux.wait_for("Search for commands")
        tmux.type("Study My pack")
        tmux.wait_for("Study My pack")
        tmux.keys("Enter")
        tmux.wait_for("What does the sigmoid function compute")
        tmux.keys("Space")
        tmux.wait_for("3 Good")
        tmux.keys("4")  # Easy: graduates (Good would bring it back within the 20 min learn-ahead, as in Anki)
        tmux.wait_for("Session done: 1 review in")
        tmux.keys("Escape")
        tmux.wait_for("Your packs")

        # Quiz: one numeric item, answered right.
        tmux.keys("C-p")
        tmux.wait_for("Search for commands")
        tmux.type("Quiz on My pack")
        tmux.wait_for("Quiz on My pack")
        tmux.keys("Enter")
        tmux.wait_for("Quiz: My pack")
        tmux.keys("Enter")  # the focused Start button
        tmux.wait_for("your number")  # the input's placeholder
        tmux.type_into("0.25", "▊  0.25")
        tmux.keys("Enter")
        tmux.wait_for("✓ Correct")
        tmux.keys("Escape")
        tmux.wait_for("Your packs")

        # Demo: run one to its claims (the demo screen is built separately; skip the step if absent).
        if demo is not None:
            pid, title = demo
            tmux.keys("C-p")
            tmux.wait_for("Search for commands")
            tmux.type(f"Run demo: {title}")
            tmux.wait_for(f"Run demo: {title}")
            tmux.keys("Enter")
            tmux.wait_for("Press r to run", timeout=30)  # the demo screen (at 80x24 its Run button is below the fold)
            tmux.keys("r")
            tmux.wait_for(" hold", timeout=180)  # "N of M claims hold." or, for one, "1 of 1 claim holds."
            tmux.keys("Escape")
            tmux.wait_for("Your packs")

        tmux.keys("q")
        tmux.wait_gone()
    finally:
        tmux.kill()

    from studyml.srs.store import open_store

    with open_store(studyml_home / "progress.sqlite3") as store:
        reviews = store.reviews()
        attempts = store.quiz_attempts()
        runs = store.demo_runs()
    # The study rating (Easy), then the quiz answer's review of the same, already started card (Good, from a quiz).
    assert [(r.pack_id, r.card_id, r.rating, r.source) for r in reviews] == [
        ("e2e-pack", "sigmoid", 4, "card"),
        ("e2e-pack", "sigmoid", 3, "quiz"),
    ]
    assert [(a["item_id"], a["answer"], a["correct"]) for a in attempts] == [
        ("sigmoid-derivative-at-zero", "0.25", True)
    ]
    if demo is None:
        pytest.skip(
            "studyml.tui.screens.demo does not exist yet: the demo step was not run"
            if not has_demo_screen
            else "no demo plugin is installed: the demo step was not run"
        )
    assert [r["plugin_id"] for r in runs] == [demo[0]]

"""The UI catalogue against the code: every key the code asks for exists in English and Korean, none is unused."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from studyml.tui.i18n import CATALOGUE, LANGS, tr

TUI = Path(__file__).resolve().parents[2] / "studyml" / "tui"

# Keys the code builds at run time, by their f-string template ("{}" for each replacement field), with every
# value the field can take. A new dynamic key in the code fails `test_every_dynamic_key_is_listed` until it is
# listed here, so the checks below see it.
DYNAMIC: dict[str, list[str]] = {
    "library.col.{}": ["pack", "cards", "quiz", "due", "new", "mastery", "source"],
    "browse.col.{}": ["pack", "card", "tags", "state", "due", "r", "flag"],
    "demo.bounds.{}": ["int", "float", "bool", "str", "any"],  # demos/params.py _type_name
    "info.col.{}": ["when", "rating", "source", "interval", "stability"],
    "info.state.{}": ["new", "learning", "review", "relearning"],
    "info.source.{}": ["card", "quiz"],
    "flag.{}": ["1", "2", "3", "4"],
    "options.quiz.{}": ["off", "started", "all"],
    "options.error.{}": [  # SettingError.setting
        "retention",
        "new_per_day",
        "reviews_per_day",
        "learning_steps_s",
        "relearning_steps_s",
        "maximum_interval",
        "day_start_hour",
        "learn_ahead_min",
        "quiz_reviews",
    ],
    "options.{}": ["learning_steps_s", "relearning_steps_s"],  # options.py _STEPS
    "quiz.rescheduled_none.{}": ["off", "started", "all", "again"],
    "quiz.rating.{}": ["1", "2", "3", "4"],
    "math.{}": [  # studyml/tui/i18n.py math_text: MathError codes and expr verdicts
        "missing_operator",
        "unreadable",
        "is_function",
        "unknown_name",
        "unknown_name.none",
        "unknown_function",
        "operator",
        "differs_at",
        "differs",
    ],
    "quiz.not_a_review.{}": ["off", "new", "suspended", "no_card", "again", "unreadable"],  # screens/quiz.py _attempt
    "quiz.reason.{}": ["hint", "slow", "slow.usual", "fast.usual"],  # screens/quiz.py _reason_values
    "quiz.kind.{}": ["choice", "multi", "order", "numeric", "text", "expr"],
    "demo.predict.state.{}": ["predict", "locked", "running", "verdict"],
    "quiz.hint.{}": ["choice", "multi", "order", "numeric", "text", "expr"],
    "quiz.placeholder.{}": ["numeric", "text", "expr"],  # the typed answers only (TextLikeInput)
    "stats.col.{}": [
        "pack",
        "cards",
        "learned",
        "mastered",
        "due",
        "mastery",
        "tag",
        "attempts",
        "correct",
        "accuracy",
    ],
    "interval.{}": ["m", "h", "d", "mo", "y"],
    # Textual's own palette entries, by their English title (App.get_system_commands)
    "sys.{}": ["theme", "quit", "keys", "maximize", "minimize", "screenshot"],
    "{}.help.{}": [
        "sys.theme.help.show",
        "sys.quit.help.show",
        "sys.keys.help.show",
        "sys.keys.help.hide",
        "sys.maximize.help.show",
        "sys.minimize.help.show",
        "sys.screenshot.help.show",
    ],
}


def _sources() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(TUI.rglob("*.py"))]


def _template(node: ast.JoinedStr) -> str:
    return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)


def _expand(template: str) -> list[str]:
    values = DYNAMIC[template]
    return values if template.startswith("{}") else [template.replace("{}", v, 1) for v in values]


def _calls() -> list[tuple[str, ast.expr]]:
    """The first argument of every `tr(...)` / `….t(...)` call in the TUI, with where it is."""
    out = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args:
                f = node.func
                name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
                if name in ("tr", "t"):
                    out.append((f"{path.relative_to(TUI)}:{node.lineno}", node.args[0]))
    return out


def _literal_keys(arg: ast.expr) -> list[str]:
    """The keys a call's argument can be when it is written out: a string, or either branch of `a if c else b`."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value]
    if isinstance(arg, ast.IfExp):
        return _literal_keys(arg.body) + _literal_keys(arg.orelse)
    return []


def _binding_label_keys() -> set[str]:
    """`key.<name>` for each binding id `<scope>.<name>` (see keylabels.label_key): the footer texts."""
    from studyml.tui.keylabels import label_key

    keys = set()
    for _, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Binding":
                for kw in node.keywords:
                    if kw.arg == "id" and isinstance(kw.value, ast.Constant):
                        keys.add(label_key(kw.value.value))
    return keys


def _string_constants() -> set[str]:
    """Every string written in the TUI's code (keys kept in tables such as card_info's `ratings`), the catalogue aside."""
    return {
        n.value
        for path, tree in _sources()
        if path.name != "i18n.py"
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def test_every_entry_has_both_languages():
    missing = [(key, lang) for key, entry in CATALOGUE.items() for lang in LANGS if not entry.get(lang, "").strip()]
    assert missing == []


def test_every_key_written_in_the_code_exists():
    used = [(where, key) for where, arg in _calls() for key in _literal_keys(arg)]
    assert len(used) > 100  # the scan finds the calls (a broken scan would pass vacuously)
    unknown = [(where, key) for where, key in used if key not in CATALOGUE]
    assert unknown == []


def test_every_dynamic_key_is_listed():
    templates = {_template(arg) for _, arg in _calls() if isinstance(arg, ast.JoinedStr)}
    assert "quiz.kind.{}" in templates  # the scan sees f-strings
    assert templates - set(DYNAMIC) == set(), "list the values of these keys in DYNAMIC"
    # The system commands' keys are built into a variable first (app.py), so look at every f-string.
    written = {_template(n) for _, tree in _sources() for n in ast.walk(tree) if isinstance(n, ast.JoinedStr)}
    assert set(DYNAMIC) - written == set(), "these templates are no longer in the code"
    unknown = [key for template in DYNAMIC for key in _expand(template) if key not in CATALOGUE]
    assert unknown == []


def test_every_binding_text_exists_and_no_catalogue_key_is_unused():
    from studyml.content.models import KINDS

    assert set(DYNAMIC["quiz.kind.{}"]) == set(KINDS)  # the kinds are listed in full
    used = _string_constants() & set(CATALOGUE)
    used |= {key for template in DYNAMIC for key in _expand(template)}
    used |= _binding_label_keys() & set(CATALOGUE)
    # Built from a table of names: study.py's 'key.' + RATING_KEYS[r] and 'key.' + action.
    used |= {f"key.{name}" for name in ("again", "hard", "good", "easy")}
    unused = sorted(set(CATALOGUE) - used)
    assert unused == []


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_english_has_real_plurals_not_parenthesised_ones():
    assert [key for key, entry in CATALOGUE.items() if re.search(r"\w\(s\)", entry["en"])] == []
    plural = {key: entry for key, entry in CATALOGUE.items() if "en.one" in entry}
    assert len(plural) >= 10
    for key, entry in plural.items():
        count = entry.get("count", "n")
        assert count in _fields(entry["en"]) and _fields(entry["en"]) == _fields(entry["en.one"]), key
        assert "ko.one" not in entry  # Korean has no plural form


@pytest.mark.parametrize(
    ("n", "en", "ko"), [(1, "1 card", "카드 1장"), (2, "2 cards", "카드 2장"), (0, "0 cards", "카드 0장")]
)
def test_count_picks_the_form(n, en, ko):
    assert tr("search.count", "en", n=n) == en
    assert tr("search.count", "ko", n=n) == ko


def test_the_count_can_be_another_argument():
    one = tr("stats.totals", "en", total=5, quiz=0, today=1, cards=1)
    many = tr("stats.totals", "en", total=1, quiz=0, today=1, cards=3)
    assert one.endswith("1 card studied") and many.endswith("3 cards studied")

"""The records of a progress JSON file as pydantic models: every record is validated before any is written."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from studyml.srs.store import LEARNING, MAX_MS, RELEARNING, REVIEW

Finite = Annotated[float, Field(allow_inf_nan=False)]
Ms = Annotated[int, Field(ge=0, le=MAX_MS)]
Count = Annotated[int, Field(ge=0, le=2**31 - 1)]  # a learning step, reps, lapses
Id = Annotated[str, Field(min_length=1, max_length=500)]
State = Literal[1, 2, 3]  # fsrs.State: Learning, Review, Relearning


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore")


class StateLog(_Record):
    """A card's state as the review log keeps it (state_after, state_before): what is there must be right."""

    state: State | None = None
    step: Count | None = None
    stability: Annotated[Finite, Field(gt=0)] | None = None
    difficulty: Annotated[Finite, Field(ge=1, le=10)] | None = None
    due_ms: Ms | None = None
    last_review_ms: Ms | None = None
    reps: Count | None = None
    lapses: Count | None = None
    first_review_ms: Ms | None = None


class ProgressRecord(_Record):
    """One card's scheduling state (CardState)."""

    pack_id: Id
    card_id: Id
    state: State = LEARNING
    step: Count | None = 0
    stability: Annotated[Finite, Field(gt=0)] | None = None
    difficulty: Annotated[Finite, Field(ge=1, le=10)] | None = None
    due_ms: Ms = 0
    last_review_ms: Ms | None = None
    reps: Count = 0
    lapses: Count = 0
    first_review_ms: Ms | None = None
    # What the learner did to the card (a file of an older studyml has none: none is taken over).
    suspended: bool = False
    buried_until_ms: Ms | None = None
    flag: Annotated[int, Field(ge=0, le=7)] = 0

    @model_validator(mode="after")
    def _graduated_cards_have_memory(self) -> ProgressRecord:
        if self.state in (REVIEW, RELEARNING) and (self.stability is None or self.difficulty is None):
            raise ValueError("a card in review or relearning needs a stability and a difficulty")
        return self


class ReviewRecord(_Record):
    time_ms: Ms
    pack_id: Id
    card_id: Id
    rating: Literal[1, 2, 3, 4]
    pack_version: str = ""
    duration_ms: Ms | None = None
    state_after: StateLog
    state_before: StateLog | None = None


class QuizRecord(_Record):
    time_ms: Ms
    pack_id: Id
    item_id: Id
    card_id: Id | None = None
    answer: Any = None
    correct: bool


class DemoRunRecord(_Record):
    time_ms: Ms
    plugin_id: Id
    params: dict[str, Any] = {}
    claims: Any = None
    duration_ms: Annotated[Finite, Field(ge=0)] | None = None
    ok: bool


class ProgressFile(_Record):
    format: Literal["studyml-progress"]
    version: int
    progress: list[ProgressRecord] = []
    reviews: list[ReviewRecord] = []
    quiz_attempts: list[QuizRecord] = []
    demo_runs: list[DemoRunRecord] = []
    settings: dict[str, Any] = {}


def where(loc: tuple) -> str:
    """('reviews', 3, 'stability') → 'reviews[3].stability'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def problems(e: ValidationError, limit: int = 20) -> list[str]:
    errors = e.errors(include_url=False)
    lines = [f"{where(err['loc'])}: {err['msg']}" for err in errors[:limit]]
    if len(errors) > limit:
        lines.append(f"… and {len(errors) - limit} more")
    return lines


def settings_problems(settings: dict[str, Any]) -> list[str]:
    """Problems with the scheduling settings ("srs"), which every later start reads."""
    from dataclasses import fields

    from pydantic import TypeAdapter

    from studyml.srs.scheduler import Settings

    srs = settings.get("srs")
    if srs is None:
        return []
    if not isinstance(srs, dict):
        return ["settings.srs: must be an object"]
    known = {f.name for f in fields(Settings)}
    given = {k: v for k, v in srs.items() if k in known}
    try:
        TypeAdapter(Settings).validate_python(given)  # a value of the wrong type, said by its field
    except ValidationError as e:
        return [f"settings.srs.{where(err['loc'])}: {err['msg']}" for err in e.errors(include_url=False)]
    try:
        # The values as given, as they are stored and every start reads them (Settings.load): pydantic's lax reading
        # took 20.0 for 20, which load then refused, silently falling back to the defaults on every device.
        value = Settings(**given)
        value.validate()  # finite numbers too: a NaN retention is out of its range, and parameters are checked
        value.fsrs_scheduler()  # fsrs checks the parameters (count, ranges) and the steps
    except (ValueError, TypeError) as e:
        return [f"settings.srs: {e}"]
    return []


def finite_or_none(value: Any) -> tuple[Any, int]:
    """`value` with every NaN/±inf replaced by None (strict JSON has neither), and how many were replaced."""
    if isinstance(value, float) and not math.isfinite(value):
        return None, 1
    if isinstance(value, dict):
        n, out = 0, {}
        for k, v in value.items():
            out[k], m = finite_or_none(v)
            n += m
        return out, n
    if isinstance(value, list):
        n, items = 0, []
        for v in value:
            v, m = finite_or_none(v)
            items.append(v)
            n += m
        return items, n
    return value, 0

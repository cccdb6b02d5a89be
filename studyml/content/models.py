"""Pydantic models of a content pack: manifest, cards and the six kinds of quiz item."""

from __future__ import annotations

import re
from typing import Annotated, Literal, Union, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

SLUG = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
MAX_ID = 80
# SLUG in words, for the messages that refuse an id (`a--b` and `a-` were refused as not "letters, digits and '-'").
ID_RULE = "lowercase letters and digits, words joined by a single '-', starting with a letter (no '-' at the end)"
Slug = Annotated[str, StringConstraints(pattern=SLUG, max_length=MAX_ID)]


def slugify(text: str) -> str:
    """`text` lowercased, each run of characters other than a-z and 0-9 as one '-', none at either end: the start of
    an id made from a name (it may still start with a digit, or be empty)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")]
NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Text = dict[LangCode, NonEmpty]
"""Text a learner reads, one Markdown string per language code."""
TagName = Annotated[str, StringConstraints(min_length=1, max_length=80)]

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Requires(Strict):
    studyml: str | None = Field(default=None, description="studyml version specifier, e.g. '>=0.1'")
    plugins: list[Slug] = Field(default_factory=list, description="demo plugin ids the pack links to")

    @field_validator("studyml")
    @classmethod
    def _specifier(cls, v: str | None) -> str | None:
        # Here, not on the manifest's `requires`: the diagnostic then names requires.studyml and points at the value.
        if v is not None:
            from studyml.content.versions import parse_specifier

            parse_specifier(v)
        return v


# An SPDX license expression's shape: ids joined by AND, OR or WITH, in parentheses or not (checks.py asks packaging
# whether it is a valid one: a warning, as an unknown id).
_SPDX = r"^\(*[A-Za-z0-9.+-]+\)*( (AND|OR|WITH) \(*[A-Za-z0-9.+-]+\)*)*$"


class Manifest(Strict):
    id: Slug = Field(description="lowercase slug, unique among installed packs")
    version: str = Field(description="semantic version, e.g. 1.2.0")
    title: Text
    description: Text | None = None
    languages: list[LangCode] = Field(min_length=1)
    license: Annotated[str, StringConstraints(pattern=_SPDX)] = Field(description="SPDX license id")
    authors: list[NonEmpty] = Field(min_length=1)
    requires: Requires = Field(default_factory=Requires)
    notes: dict[NonEmpty, Text] = Field(
        default_factory=dict,
        description="the title shown for each study note that card sources name, keyed by its file name",
    )
    tags: dict[Slug, dict[LangCode, TagName]] = Field(
        default_factory=dict,
        description="the name learners see for each tag, per language, keyed by the tag id cards and items use "
        "(e.g. batch-norm: {en: batch normalisation, ko: 배치 정규화}); a tag without a name shows its id",
    )

    @field_validator("version")
    @classmethod
    def _semver(cls, v: str) -> str:
        if not SEMVER.match(v):
            raise ValueError(f"{v!r} is not a semantic version such as 1.0.0")
        return v

    @field_validator("languages")
    @classmethod
    def _unique_languages(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("languages are listed twice")
        return v


class Source(Strict):
    note: NonEmpty | None = Field(None, description="a study-note file name")
    ref: NonEmpty | None = Field(None, description="a published reference")
    url: NonEmpty | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Source:
        if self.note is None and self.ref is None:
            raise ValueError("a source needs `note` or `ref`")
        return self


Params = dict[str, bool | int | float | str | list[bool | int | float | str]]


class DemoLink(Strict):
    id: Slug = Field(description="demo plugin id")
    params: Params = Field(default_factory=dict)


class Card(Strict):
    id: Slug
    title: Text
    front: Text
    back: Text
    tags: list[Slug] = Field(default_factory=list)
    demo: DemoLink | None = None
    see_also: list[Slug] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)


class Verify(Strict):
    demo: Slug
    params: Params = Field(default_factory=dict)
    metric: NonEmpty | None = None
    claim: NonEmpty | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Verify:
        if (self.metric is None) == (self.claim is None):
            raise ValueError("`verify` needs exactly one of `metric` or `claim`")
        return self


ParamName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,31}$")]
Number = Union[int, float]
Formula = Annotated[str, StringConstraints(min_length=1, max_length=1000)]
"""A formula over the item's params, read by the safe math parser (never evaluated as code)."""


class Param(Strict):
    """One value drawn per attempt: a range with a step, a choice, or a formula over earlier params."""

    range: list[Number] | None = Field(None, min_length=2, max_length=2, description="[low, high], both included")
    step: Number | None = Field(None, description="spacing of a range; 1 by default for whole numbers")
    choice: list[Number] | None = Field(None, min_length=1, description="values drawn with equal chance")
    formula: Formula | None = Field(None, description="derived from earlier params, e.g. '(n - k)/s + 1'")
    digits: int | None = Field(None, ge=0, le=12, description="decimals shown in the prompt")

    @model_validator(mode="after")
    def _one_of(self) -> Param:
        if sum(x is not None for x in (self.range, self.choice, self.formula)) != 1:
            raise ValueError("a param needs exactly one of `range`, `choice` or `formula`")
        if self.step is not None and self.range is None:
            raise ValueError("`step` goes with `range`")
        return self


class CheckRef(Strict):
    """An independent computation of a template's key, provided by a plugin and run in the worker."""

    plugin: Slug = Field(description="id of the plugin that provides the check")
    id: Slug = Field(description="id of the check within the plugin (see `studyml demo info`)")


class Misconception(Strict):
    """A known wrong answer and what to tell the learner who gives it."""

    value: Number | Formula | None = Field(None, description="a number, or a formula over the params")
    choice: str | None = Field(None, description="a choice key")
    feedback: Text

    @model_validator(mode="after")
    def _one_of(self) -> Misconception:
        if (self.value is None) == (self.choice is None):
            raise ValueError("a misconception needs exactly one of `value` or `choice`")
        return self


class ItemBase(Strict):
    id: Slug
    card: Slug = Field(description="id of the card this item belongs to")
    prompt: Text
    explanation: Text
    tags: list[Slug] = Field(default_factory=list)
    verify: Verify | None = None
    params: dict[ParamName, Param] | None = Field(None, description="makes the item a template: drawn per attempt")
    check: CheckRef | None = None
    hints: list[Text] = Field(default_factory=list, max_length=3, description="up to three, shown one at a time")
    misconceptions: list[Misconception] = Field(default_factory=list)
    shuffle: bool = Field(True, description="templates: shuffle the choices of each variant")

    @property
    def is_template(self) -> bool:
        return self.params is not None


ChoiceKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,16}$")]


class OptionsBase(ItemBase):
    """Choice and multi items. Options are shuffled and relabelled on screen, so what is said about one
    option belongs in `why` under its key, never in the explanation under a letter from the file."""

    choices: dict[ChoiceKey, Text] = Field(min_length=2)
    why: dict[ChoiceKey, Text] = Field(
        default_factory=dict, description="optional feedback per option, keyed like `choices`: why it is right or wrong"
    )


class ChoiceItem(OptionsBase):
    kind: Literal["choice"]
    answer: ChoiceKey


class MultiItem(OptionsBase):
    kind: Literal["multi"]
    answers: list[ChoiceKey] = Field(min_length=1)


class OrderItem(ItemBase):
    kind: Literal["order"]
    steps: list[Text] = Field(min_length=2, description="the steps in the right order")
    sort_by: list[Formula] | None = Field(None, description="templates: the right order is by these values, ascending")


class Tolerance(Strict):
    abs: float | Formula | None = None
    rel: float | Formula | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Tolerance:
        if self.abs is None and self.rel is None:
            raise ValueError("a tolerance needs `abs` or `rel`")
        return self


class NumericItem(ItemBase):
    kind: Literal["numeric"]
    answer: float | Formula = Field(description="a number, or in a template a formula over the params")
    tolerance: Tolerance
    unit: Text | None = None


class TextItem(ItemBase):
    kind: Literal["text"]
    answers: dict[LangCode, list[NonEmpty]] = Field(min_length=1)


class ExprItem(ItemBase):
    kind: Literal["expr"]
    symbols: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,31}$")]] = Field(
        default_factory=list
    )
    signed: list[str] = Field(
        default_factory=list,
        description="the symbols that may be negative (an input, a weight, a bias); the others are positive reals",
    )
    ranges: dict[str, list[float]] = Field(  # two numbers each: checked with the rest (checks._range_problems)
        default_factory=dict,
        description="where a symbol's values lie, as [low, high] (a probability: [0, 1]); answers are compared "
        "with the key there only. A range below 0 makes its symbol signed",
    )
    answer: NonEmpty


ITEM_TYPES = (ChoiceItem, MultiItem, OrderItem, NumericItem, TextItem, ExprItem)
QuizItem = Annotated[Union[ITEM_TYPES], Field(discriminator="kind")]  # type: ignore[valid-type]
# The one list of quiz kinds, in the order packs and messages name them; read from each model's `kind` literal.
ITEM_BY_KIND: dict[str, type[ItemBase]] = {get_args(t.model_fields["kind"].annotation)[0]: t for t in ITEM_TYPES}
KINDS = tuple(ITEM_BY_KIND)

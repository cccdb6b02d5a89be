"""Helpers shared by the SRS tests: a fixed instant and a stand-in for a content pack."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


# A stand-in for studyml.content's Pack with just what export and stats read.
@dataclass
class FakeManifest:
    id: str = "demo-pack"
    version: str = "1.0.0"
    languages: list = field(default_factory=lambda: ["en", "ko"])
    title: dict = field(default_factory=lambda: {"en": "Demo pack", "ko": "데모 팩"})


@dataclass
class FakeCard:
    id: str
    title: dict
    front: dict
    back: dict
    tags: list = field(default_factory=list)


@dataclass
class FakeItem:
    id: str
    card: str
    tags: list = field(default_factory=list)


@dataclass
class FakePack:
    manifest: FakeManifest
    cards: list
    items: list = field(default_factory=list)


def fake_pack(n: int = 5, pack_id: str = "demo-pack") -> FakePack:
    cards = [
        FakeCard(
            id=f"card-{i}",
            title={"en": f"Card {i}", "ko": f"카드 {i}"},
            front={"en": f"What is **{i}**? $x^{i}$", "ko": f"**{i}** 은 무엇인가?"},
            back={"en": f"It is {i}.\n\n$$\\sum_i x_i$$", "ko": f"{i} 입니다."},
            tags=["basics", f"t{i % 2}"],
        )
        for i in range(n)
    ]
    return FakePack(FakeManifest(id=pack_id), cards, [FakeItem(f"q-{i}", f"card-{i}", [f"t{i % 2}"]) for i in range(n)])

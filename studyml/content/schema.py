"""JSON Schemas of pack files, written where editors find them (`pack schema --out`, `pack new`)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

SCHEMA_DIR = ".schema"  # inside a pack made by `pack new`; the loader reads only pack.yaml, cards/ and quizzes/
FILES = {"pack.yaml": "pack.schema.json", "cards": "cards.schema.json", "quizzes": "quizzes.schema.json"}
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schemas() -> dict[str, dict]:
    """{file name: JSON Schema} for pack.yaml, a file in cards/ and a file in quizzes/ (a fresh copy)."""
    return {name: json.loads(text) for name, text in _file_texts().items()}


@cache  # the models do not change while a process runs, and building the schemas costs ~60 ms
def _file_texts() -> dict[str, str]:
    """Each schema file's text, as written."""
    return {name: json.dumps(schema, indent=2, ensure_ascii=False) + "\n" for name, schema in _build().items()}


def _build() -> dict[str, dict]:
    from pydantic import TypeAdapter

    from studyml.content.models import Card, Manifest, QuizItem

    built = {
        "pack.schema.json": ("studyml pack.yaml", Manifest.model_json_schema()),
        "cards.schema.json": ("studyml cards/*.yaml: a list of cards", TypeAdapter(list[Card]).json_schema()),
        "quizzes.schema.json": (
            "studyml quizzes/*.yaml: a list of quiz items",
            TypeAdapter(list[QuizItem]).json_schema(),
        ),
    }
    return {name: {"$schema": DIALECT, "title": title, **schema} for name, (title, schema) in built.items()}


def write_schemas(folder: Path) -> list[Path]:
    """Write the three schema files into `folder` (created if needed); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in _file_texts().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


def modeline(schema_file: str, depth: int, folder: str = SCHEMA_DIR) -> str:
    """The first line that tells yaml-language-server (VS Code, Neovim, Helix, …) which schema a file follows.

    `depth` is how many folders below the pack root the file is; `folder` holds the schemas, relative to the pack
    root; the path written is relative to the file.
    """
    return f"# yaml-language-server: $schema={'../' * depth}{folder}/{schema_file}\n"

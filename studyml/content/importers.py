"""`studyml pack import`: cards from an Anki .apkg, a CSV/TSV with a header row, or Markdown flashcards.

Every source is data from a stranger: read, never executed; an .apkg is opened as a zip whose collection is
copied out to a scratch file and read with SQLite in read-only mode. The result is a pack folder that the normal
loader validates. A card keeps an id derived from its source (an Anki note's GUID, a CSV `id` column, or the
question text), so importing a later version of the same source updates the cards instead of adding new ones,
and progress, which is keyed by card id, carries over.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml

from studyml.content.schema import FILES, SCHEMA_DIR, modeline, write_schemas

FORMATS = ("apkg", "csv", "tsv", "md")
MAX_SOURCE_BYTES = 200 * 1024 * 1024
MAX_TEXT = 20_000  # the pack format's limit for one text
CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)


class ImportError_(Exception):
    """The source cannot be imported; the message says where and why."""


@dataclass
class ImportedCard:
    id: str
    front: str
    back: str
    title: str = ""
    tags: list[str] = field(default_factory=list)
    other: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> {front, back, title}


@dataclass
class ImportResult:
    folder: Path
    cards: int
    added: int
    updated: int
    skipped: list[str] = field(default_factory=list)  # "source:line: why"
    unchanged: int = 0  # cards of the source already in the pack as they are: not counted as updated

    def to_dict(self) -> dict:
        return {
            "folder": str(self.folder),
            "cards": self.cards,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }


# -- ids, tags and text ---------------------------------------------------------------------------------------


def slug(text: str, fallback: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    s = re.sub(r"^[^a-z]+", "", s)[:60].strip("-")
    return s or fallback


def guid_id(guid: str) -> str:
    """A card id from an Anki note GUID: reversible, and a valid slug whatever characters the GUID has."""
    return "anki-" + guid.encode("utf-8").hex()


def text_id(text: str) -> str:
    """A stable card id from a question's text (Markdown and CSV rows without an id column)."""
    return f"{slug(text, 'card')[:40].strip('-')}-{hashlib.sha1(text.encode()).hexdigest()[:6]}"


def tag_slugs(raw: str) -> list[str]:
    out = []
    for t in raw.replace("::", "-").split():
        s = slug(t, "")
        if s and s not in out:
            out.append(s)
    return out


class _Text(HTMLParser):
    """Anki fields are HTML: keep the text and line breaks, drop markup, scripts and styles."""

    BLOCK = {"br", "div", "p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")
        elif tag in ("b", "strong"):
            self.parts.append("**")
        elif tag in ("i", "em"):
            self.parts.append("*")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("b", "strong"):
            self.parts.append("**")
        elif tag in ("i", "em"):
            self.parts.append("*")
        elif tag in ("div", "p", "li"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(field_html: str) -> str:
    parser = _Text()
    parser.feed(field_html)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    text = re.sub(r"\\\((.+?)\\\)", r"$\1$", text, flags=re.S)  # Anki's MathJax back to the pack's $…$
    text = re.sub(r"\\\[(.+?)\\\]", r"$$\1$$", text, flags=re.S)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def cloze_sides(text: str) -> tuple[str, str]:
    """Front with every deletion blanked ([…] or its hint), back with the deletions shown in bold."""
    front = CLOZE.sub(lambda m: f"[{m.group(3)}]" if m.group(3) else "[…]", text)
    back = CLOZE.sub(lambda m: f"**{m.group(2)}**", text)
    return front, back


def _card_from_fields(card_id: str, first: str, second: str, tags: list[str]) -> ImportedCard:
    if CLOZE.search(first):
        front, back = cloze_sides(first)
        if second:
            back = f"{back}\n\n{second}"
    else:
        front, back = first, second
    return ImportedCard(id=card_id, front=front, back=back or "…", tags=tags)


# -- sources ---------------------------------------------------------------------------------------------------


def read_apkg(path: Path, skipped: list[str]) -> list[ImportedCard]:
    """Notes of an Anki package (legacy collection.anki2/anki21, or zstd-compressed collection.anki21b)."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise ImportError_(f"{path}: not an Anki package (.apkg is a zip file): {e}") from e
    with zf, tempfile.TemporaryDirectory() as scratch:
        names = set(zf.namelist())
        member = next((n for n in ("collection.anki21b", "collection.anki21", "collection.anki2") if n in names), None)
        if member is None:
            raise ImportError_(f"{path}: no collection inside; is it an Anki package?")
        info = zf.getinfo(member)
        if info.file_size > MAX_SOURCE_BYTES:
            raise ImportError_(f"{path}: {member} is {info.file_size:,} bytes, over the {MAX_SOURCE_BYTES:,} limit")
        try:
            data = zf.read(member)
        except (zipfile.BadZipFile, OSError, EOFError) as e:
            raise ImportError_(f"{path}: {member} cannot be read: {e}") from e
        if member.endswith("b"):
            try:
                import zstandard
            except ImportError:
                raise ImportError_(
                    f"{path}: this package uses Anki's newer compressed format; install "
                    "'zstandard' or export it from Anki with 'Support older Anki versions'"
                ) from None
            try:
                data = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)).read(MAX_SOURCE_BYTES + 1)
            except zstandard.ZstdError as e:
                raise ImportError_(f"{path}: {member} is damaged: {e}") from e
            if len(data) > MAX_SOURCE_BYTES:
                raise ImportError_(f"{path}: the collection is over the {MAX_SOURCE_BYTES:,}-byte limit")
        db = Path(scratch) / "collection.sqlite"
        db.write_bytes(data)
        try:
            conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
            try:
                rows = conn.execute("SELECT guid, flds, tags FROM notes ORDER BY id").fetchall()
            finally:
                conn.close()
        except sqlite3.DatabaseError as e:
            raise ImportError_(f"{path}: the collection is not a readable Anki database: {e}") from e
    cards = []
    for n, (guid, flds, tags) in enumerate(rows, start=1):
        fields = [html_text(f) for f in str(flds).split("\x1f")]
        if not fields or not fields[0]:
            skipped.append(f"{path.name}: note {n}: the first field is empty")
            continue
        cards.append(
            _card_from_fields(guid_id(str(guid)), fields[0], fields[1] if len(fields) > 1 else "", tag_slugs(str(tags)))
        )
    return cards


def read_table(path: Path, lang: str, skipped: list[str]) -> list[ImportedCard]:
    """A CSV or TSV with a header row: front, back (required); id, title, tags; front_ko, back_en, … per language."""
    text = _read_text(path)
    delimiter = "\t" if path.suffix.lower() == ".tsv" or ("\t" in text.split("\n", 1)[0]) else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if not header:
        raise ImportError_(
            f"{path}:1: the header row is missing (columns: front, back, and optionally id, title, tags)"
        )
    reader.fieldnames = header
    for need in ("front", "back"):
        if need not in header and f"{need}_{lang}" not in header:
            raise ImportError_(f"{path}:1: no `{need}` column (the header has: {', '.join(header)})")
    cards, seen = [], set()
    for row in reader:
        line = reader.line_num
        get = {k: (v or "").strip() for k, v in row.items() if k is not None}
        front = get.get(f"front_{lang}") or get.get("front", "")
        back = get.get(f"back_{lang}") or get.get("back", "")
        if not front or not back:
            skipped.append(f"{path.name}:{line}: a row needs both front and back")
            continue
        cid = slug(get["id"], "") if get.get("id") else text_id(front)
        if not cid or cid in seen:
            skipped.append(f"{path.name}:{line}: id {get.get('id') or cid!r} is empty or used twice")
            continue
        seen.add(cid)
        card = _card_from_fields(cid, front, back, tag_slugs(get.get("tags", "")))
        card.title = get.get(f"title_{lang}") or get.get("title", "")
        for col, value in get.items():
            m = re.fullmatch(r"(front|back|title)_([a-z]{2,3})", col)
            if m and m.group(2) != lang and value:
                card.other.setdefault(m.group(2), {})[m.group(1)] = value
        cards.append(card)
    return cards


def read_markdown(path: Path, skipped: list[str]) -> list[ImportedCard]:
    """`Q:`/`A:` pairs, and paragraphs with `{{c1::…}}` cloze deletions; `# headings` become tags."""
    cards: list[ImportedCard] = []
    tags: list[str] = []
    q = a = None
    q_line = 0

    def flush() -> None:
        nonlocal q, a
        if q is not None:
            if a:
                cards.append(ImportedCard(id=text_id(q.strip()), front=q.strip(), back=a.strip(), tags=list(tags)))
            else:
                skipped.append(f"{path.name}:{q_line}: a question without an `A:` answer")
        q = a = None

    paragraph: list[str] = []
    para_line = 0

    def flush_paragraph() -> None:
        text = "\n".join(paragraph).strip()
        if text and any(not m.group(2).strip() for m in CLOZE.finditer(text)):  # `{{c1::}}`: nothing to recall
            skipped.append(f"{path.name}:{para_line}: an empty cloze deletion; write the answer after `c1::`")
        elif text and CLOZE.search(text):
            front, back = cloze_sides(text)
            cards.append(ImportedCard(id=text_id(text), front=front, back=back, tags=list(tags)))
        paragraph.clear()

    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("#") and q is None:
            flush_paragraph()
            tags = tag_slugs(stripped.lstrip("#"))
        elif re.match(r"^(Q|Question)\s*:", stripped, re.I):
            flush_paragraph()
            flush()
            q, q_line = stripped.split(":", 1)[1], number
        elif re.match(r"^(A|Answer)\s*:", stripped, re.I) and q is not None:
            a = stripped.split(":", 1)[1]
        elif q is not None:
            if not stripped and a:
                flush()
            elif a is not None:
                a += "\n" + line
            else:
                q += "\n" + line
        elif stripped:
            if not paragraph:
                para_line = number
            paragraph.append(line)
        else:
            flush_paragraph()
    flush()
    flush_paragraph()
    return cards


def _read_text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise ImportError_(f"{path}: over the {MAX_SOURCE_BYTES:,}-byte limit")
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ImportError_(f"{path}: not UTF-8 text (byte {e.start}); save it as UTF-8 and import again") from e
    except OSError as e:
        raise ImportError_(f"{path}: cannot read: {e.strerror}") from e


# -- writing the pack ----------------------------------------------------------------------------------------------


def detect_format(source: Path) -> str:
    ext = source.suffix.lower().lstrip(".")
    fmt = {"markdown": "md", "txt": "md", "colpkg": "apkg"}.get(ext, ext)
    if fmt not in FORMATS:
        raise ImportError_(
            f"{source}: cannot tell the format from {source.suffix or 'no extension'!r}; "
            f"use --format {'|'.join(FORMATS)}"
        )
    return fmt


def import_pack(
    source: Path,
    folder: Path,
    *,
    fmt: str | None = None,
    lang: str = "en",
    languages: list[str] | None = None,
    pack_id: str | None = None,
    title: str | None = None,
) -> ImportResult:
    """Import `source` into the pack folder `folder` (created, or updated by card id when it already holds one).

    `languages` are the pack's languages (default: `lang` alone); a language the source lacks is left out of each
    card so that `studyml pack validate` lists every text still to write.
    """
    fmt = fmt or detect_format(source)
    skipped: list[str] = []
    if not source.is_file():
        raise ImportError_(f"{source}: no such file")
    if fmt == "apkg":
        cards = read_apkg(source, skipped)
    elif fmt in ("csv", "tsv"):
        cards = read_table(source, lang, skipped)
    else:
        cards = read_markdown(source, skipped)
    if not cards:
        raise ImportError_(
            f"{source}: no cards found" + (f" ({len(skipped)} skipped: {skipped[0]})" if skipped else "")
        )
    # The languages the source has text in: its own, and those of columns such as `front_ko`.
    found = [lang] + sorted({code for card in cards for code in card.other} - {lang})
    languages = languages or found
    if lang not in languages:
        raise ImportError_(f"the source language {lang!r} is not among the pack's languages {languages}")
    left_out = [code for code in found if code not in languages]
    if left_out:  # never drop the author's text without a word
        raise ImportError_(
            f"{source}: the source has text in {', '.join(map(repr, left_out))} (columns such as "
            f"front_{left_out[0]}), which the pack's languages {', '.join(languages)} leave out; "
            f"add {left_out[0]!r} to --languages"
        )

    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / "pack.yaml"
    cards_file = folder / "cards" / f"{slug(source.stem, 'imported')}.yaml"
    if not (folder / SCHEMA_DIR).exists():  # editors complete and check the files, as in a pack from `pack new`
        write_schemas(folder / SCHEMA_DIR)
    if not manifest.exists():
        pid = pack_id or slug(source.stem, "imported")
        manifest.write_text(
            modeline(FILES["pack.yaml"], 0)
            + yaml.safe_dump(
                {
                    "id": pid,
                    "version": "0.1.0",
                    "title": {lang: title or source.stem},
                    "languages": languages,
                    "license": "CC-BY-4.0",
                    "authors": ["Imported"],
                },
                allow_unicode=True,
                sort_keys=False,
            ),
            encoding="utf-8",
        )
    existing: list[dict] = []
    if cards_file.exists():
        loaded = yaml.safe_load(cards_file.read_text(encoding="utf-8")) or []
        existing = [c for c in loaded if isinstance(c, dict)] if isinstance(loaded, list) else []
    by_id = {c.get("id"): c for c in existing}
    added = updated = unchanged = 0
    for card in cards:
        entry = _entry(card, lang, languages, by_id.get(card.id))
        if card.id in by_id and by_id[card.id] == entry:
            unchanged += 1
        elif card.id in by_id:
            by_id[card.id].clear()
            by_id[card.id].update(entry)
            updated += 1
        else:
            existing.append(entry)
            by_id[card.id] = entry
            added += 1
    cards_file.parent.mkdir(parents=True, exist_ok=True)
    header = modeline(FILES["cards"], 1) + (
        f"# Imported from {source.name} by `studyml pack import`; importing it again updates cards by id.\n"
    )
    cards_file.write_text(
        header + yaml.safe_dump(existing, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
    )
    return ImportResult(
        folder=folder, cards=len(cards), added=added, updated=updated, skipped=skipped, unchanged=unchanged
    )


def _entry(card: ImportedCard, lang: str, languages: list[str], old: dict | None) -> dict:
    """A card's YAML entry; texts the author already wrote in other languages are kept on re-import."""

    def texts(kind: str, value: str) -> dict[str, str]:
        out = {lang: value[:MAX_TEXT]}
        for code in languages:
            if code == lang:
                continue
            other = card.other.get(code, {})
            if kind == "title" and not other.get("title") and other.get("front"):
                other = {"title": _title_from(other["front"], card.id)}  # as the source language's title
            if other.get(kind):
                out[code] = other[kind][:MAX_TEXT]
            elif old and isinstance(old.get(kind), dict) and old[kind].get(code):
                out[code] = old[kind][code]
        return out

    entry: dict = {
        "id": card.id,
        "title": texts("title", card.title or _title_from(card.front, card.id)),
        "front": texts("front", card.front),
        "back": texts("back", card.back),
    }
    if card.tags:
        entry["tags"] = card.tags
    for keep in ("demo", "see_also", "sources"):  # what the author added by hand stays
        if old and old.get(keep):
            entry[keep] = old[keep]
    return entry


def _title_from(front: str, fallback: str) -> str:
    """A card title made from the first line of its front, when the source gives none."""
    first_line = front.strip().splitlines()[0] if front.strip() else fallback
    return first_line[:77] + "…" if len(first_line) > 78 else first_line

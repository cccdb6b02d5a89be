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

from studyml.content.importchecks import ImportError_, ImportUsageError, check_languages, check_options, slug
from studyml.content.reimport import (
    ReimportError,
    add_languages,
    check_texts,
    pack_languages,
    read_cards,
    write_cards,
)
from studyml.content.schema import FILES, SCHEMA_DIR, modeline, write_schemas
from studyml.content.yamlsafe import dump

FORMATS = ("apkg", "csv", "tsv", "md")
MAX_SOURCE_BYTES = 200 * 1024 * 1024
MAX_TEXT = 20_000  # the pack format's limit for one text
CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)


@dataclass
class ImportedCard:
    id: str
    front: str
    back: str
    title: str = ""
    tags: list[str] = field(default_factory=list)
    other: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> {front, back, title}
    former_id: str | None = None  # the id earlier versions gave a cloze card: a re-import still finds it by this


@dataclass
class ImportResult:
    folder: Path
    cards: int
    added: int
    updated: int
    skipped: list[str] = field(default_factory=list)  # "source:line: why"
    unchanged: int = 0  # cards of the source already in the pack as they are: not counted as updated
    warnings: list[str] = field(default_factory=list)  # "source:line: what to check": imported, maybe not as meant
    languages_added: list[str] = field(default_factory=list)  # to an existing pack.yaml, by --languages

    def to_dict(self) -> dict:
        return {
            "folder": str(self.folder),
            "cards": self.cards,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "warnings": self.warnings,
            "languages_added": self.languages_added,
        }


# -- ids, tags and text ---------------------------------------------------------------------------------------


def guid_id(guid: str) -> str:
    """A card id from an Anki note GUID: reversible, and a valid slug whatever characters the GUID has."""
    return "anki-" + guid.encode("utf-8").hex()


def text_id(text: str) -> str:
    """A stable card id from a question's text (Markdown and CSV rows without an id column): its words, a cloze's
    answers without the `{{c1::` markup, and a hash of the whole text (the same words blanked elsewhere differ)."""
    return _id_of(CLOZE.sub(lambda m: m.group(2), text), text)


def former_text_id(text: str) -> str | None:
    """The id that studyml gave a cloze card before `text_id` dropped the markup (`…-is-c1-x-…`), if it differs."""
    former = _id_of(text, text)
    return former if former != text_id(text) else None


def _id_of(words: str, text: str) -> str:
    return f"{slug(words, 'card')[:40].strip('-')}-{hashlib.sha1(text.encode()).hexdigest()[:6]}"


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


_COLUMNS = ("front", "back", "id", "title", "tags")
_LANG_COLUMN = re.compile(r"(front|back|title)_([a-z]{2,3})")


_OPENS, _CLOSES = "([{", ")]}"


def _bracket_split(row: dict, header: list[str]) -> tuple[str, str] | None:
    """Two neighbouring columns where the first ends inside brackets the second closes (`What is max(0` | ` x)?`):
    an unquoted comma split one text, and the row still had as many fields as the header (an optional column took
    the rest). None when no neighbours look so."""
    for first, second in zip(header, header[1:]):
        a, b = row.get(first) or "", row.get(second) or ""
        if sum(a.count(o) for o in _OPENS) <= sum(a.count(c) for c in _CLOSES):
            continue
        depth = 0
        for ch in b:
            depth += (ch in _OPENS) - (ch in _CLOSES)
            if depth < 0:
                return first, second
    return None


def read_table(path: Path, lang: str, skipped: list[str], warnings: list[str] | None = None) -> list[ImportedCard]:
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
    for name in header:  # never drop a column's text without a word: `tag` for `tags`, `notes`
        if name not in _COLUMNS and not _LANG_COLUMN.fullmatch(name):
            skipped.append(
                f"{path.name}:1: column {name!r} is not read, its text is left out (columns read: front, back, id, "
                "title, tags, and per language front_ko, back_ko, title_ko)"
            )
    for need in ("front", "back"):
        if need not in header and f"{need}_{lang}" not in header:
            raise ImportError_(f"{path}:1: no `{need}` column (the header has: {', '.join(header)})")
    cards, seen = [], set()
    sep = "a tab" if delimiter == "\t" else "a comma"
    # The source lines as the reader counts them (a bare CR ends one too), and where the next row starts; a field
    # opens with a quote right after a delimiter or at a line's start (a quote inside a field is a character).
    lines, line_at = io.StringIO(text, newline="").readlines(), reader.line_num
    opens_quoted = re.compile(rf'(?:^|{re.escape(delimiter)})"', re.M)
    for row in reader:
        line = reader.line_num
        quoted, line_at = opens_quoted.search("".join(lines[line_at:line])) is not None, line
        extra = [f for f in row.get(None) or () if f.strip()]  # DictReader's key for the fields past the header's
        if extra:  # a comma in an unquoted text split it: the card would be cut, and the rest dropped in silence
            # (empty ones, a line ending in a comma, lose nothing)
            skipped.append(
                f"{path.name}:{line}: {len(header) + len(row[None])} fields where the header has {len(header)}; put a text "
                f'that holds {sep} in double quotes ("What is max(0, x)?")'
            )
            continue
        # A row that quotes any field was written by someone who knows how: its brackets are as meant.
        split = None if quoted else _bracket_split(row, header)
        if split is not None and warnings is not None:
            first, second = split
            warnings.append(
                f"{path.name}:{line}: the {first} {row[first]!r} opens a bracket that the {second} {row[second]!r} "
                f"closes: if {sep} split one text, put that text in double quotes and import again (the row was "
                "imported as it is)"
            )
        get = {k: (v or "").strip() for k, v in row.items() if k is not None}
        for side in ("front", "back", "title"):
            # `front` is in the source language, and so is `front_ko` when that is it: one text was dropped unsaid.
            plain, own = get.get(side, ""), get.get(f"{side}_{lang}", "")
            if plain and own and plain != own:  # the card is imported: a warning, not a row skipped
                (warnings if warnings is not None else skipped).append(
                    f"{path.name}:{line}: {side} {plain!r} is left out: column {side}_{lang} gives the {side} in "
                    f"{lang}, the source language, too; name the {side} column by the language it is in "
                    f"({side}_en, …) to keep both"
                )
        front = get.get(f"front_{lang}") or get.get("front", "")
        back = get.get(f"back_{lang}") or get.get("back", "")
        if not front or not back:
            skipped.append(f"{path.name}:{line}: a row needs both front and back")
            continue
        cid = slug(get["id"], "") if get.get("id") else text_id(front)
        former = None if get.get("id") else former_text_id(front)
        if not cid or cid in seen:
            skipped.append(f"{path.name}:{line}: id {get.get('id') or cid!r} is empty or used twice")
            continue
        seen.add(cid)
        card = _card_from_fields(cid, front, back, tag_slugs(get.get("tags", "")))
        card.title = get.get(f"title_{lang}") or get.get("title", "")
        card.former_id = former
        for col, value in get.items():
            m = _LANG_COLUMN.fullmatch(col)
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
            if a and a.strip():
                cards.append(ImportedCard(id=text_id(q.strip()), front=q.strip(), back=a.strip(), tags=list(tags)))
            elif a is not None:  # `A:` and then a blank line: the answer ended there, empty
                skipped.append(
                    f"{path.name}:{q_line}: an empty `A:` answer (an answer runs until a blank line: write it on the "
                    "`A:` line or right below it)"
                )
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
            former = former_text_id(text)
            cards.append(ImportedCard(id=text_id(text), front=front, back=back, tags=list(tags), former_id=former))
        paragraph.clear()

    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("#") and q is None:
            flush_paragraph()
            words = stripped.lstrip("#")
            tags = tag_slugs(words)
            # `## 한국어 제목`: a tag id is a-z, 0-9 and '-', and the cards below got no tag without a word. (Marks
            # such as '—' or '(2)' were never words to tag with.)
            lost = [w for w in words.replace("::", "-").split() if not slug(w, "") and any(c.isalpha() for c in w)]
            if lost:  # a tag added by hand in the pack's files would go at the next re-import: said in the heading
                skipped.append(
                    f"{path.name}:{number}: {', '.join(map(repr, lost))} in the heading {'makes' if len(lost) == 1 else 'make'} "
                    "no tag (a tag id holds only a-z, 0-9 and '-'); add a word in a-z to the heading to tag the cards "
                    "below it (## 활성화 함수 activation)"
                )
        elif re.match(r"^(Q|Question)\s*:", stripped, re.I):
            flush_paragraph()
            flush()
            q, q_line = stripped.split(":", 1)[1], number
        elif re.match(r"^(A|Answer)\s*:", stripped, re.I) and q is not None:
            a = stripped.split(":", 1)[1]
        elif q is not None:
            if not stripped and a is not None:  # the answer ends at a blank line, even an empty one
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
        raise ImportUsageError(
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

    `languages` are the pack's languages (default: those of its pack.yaml, else every language the source has text
    in); a language the source lacks is left out of each card so that `studyml pack validate` lists every text still
    to write. Everything is read and checked before anything is written.
    """
    check_options(lang, languages, pack_id)
    fmt = fmt or detect_format(source)
    skipped: list[str] = []
    warnings: list[str] = []
    if not source.is_file():
        raise ImportError_(f"{source}: no such file")
    if fmt == "apkg":
        cards = read_apkg(source, skipped)
    elif fmt in ("csv", "tsv"):
        cards = read_table(source, lang, skipped, warnings)
    else:
        cards = read_markdown(source, skipped)
    if not cards:
        raise ImportError_(
            f"{source}: no cards found" + (f" ({len(skipped)} skipped: {skipped[0]})" if skipped else "")
        )
    # The languages the source has text in: its own, and those of columns such as `front_ko`.
    found = [lang] + sorted({code for card in cards for code in card.other} - {lang})
    manifest = folder / "pack.yaml"
    cards_file = folder / "cards" / f"{slug(source.stem, 'imported')}.yaml"
    try:
        listed = pack_languages(manifest)  # a re-import keeps the pack's languages, and adds those asked for
        existing = read_cards(cards_file)
        # Added to pack.yaml with the cards, once every check passed (written first, a refused import left them).
        added_languages = [code for code in languages or () if listed and code not in listed]
        if added_languages:
            listed = [*(listed or ()), *added_languages]
    except ReimportError as e:
        raise ImportError_(str(e)) from None
    languages = listed or languages or found
    check_languages(source, manifest if listed else None, lang, languages, found)

    entries = list(existing.entries)
    at = {e["id"]: i for i, e in enumerate(entries) if isinstance(e, dict) and isinstance(e.get("id"), str)}
    changed: set[int] = set()
    added = updated = unchanged = 0
    for card in cards:
        if card.former_id is not None and card.id not in at and card.former_id in at:
            card.id = card.former_id  # a cloze card imported by an earlier version keeps its id, and its progress
        i = at.get(card.id)
        if i is None:
            at[card.id] = len(entries)
            entries.append(_entry(card, lang, languages, None))
            added += 1
            continue
        if i < len(existing.entries):
            try:
                check_texts(existing, i)
            except ReimportError as e:
                raise ImportError_(str(e)) from None
        entry = _entry(card, lang, languages, entries[i])
        if entry == entries[i]:
            unchanged += 1
            continue
        entries[i] = entry
        updated += 1
        if i < len(existing.entries):
            changed.add(i)

    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / SCHEMA_DIR).exists():  # editors complete and check the files, as in a pack from `pack new`
        write_schemas(folder / SCHEMA_DIR)
    if not manifest.exists():
        _write_manifest(manifest, pack_id or slug(source.stem, "imported"), title or source.stem, found, languages)
    elif added_languages:
        try:
            add_languages(manifest, added_languages)
        except ReimportError as e:
            raise ImportError_(str(e)) from None
    if added or changed or not cards_file.exists():  # an unchanged file is left as the author wrote it
        header = modeline(FILES["cards"], 1) + (
            f"# Imported from {source.name} by `studyml pack import`; importing it again updates cards by id.\n"
        )
        write_cards(existing, entries, changed, header)
    return ImportResult(
        folder=folder,
        cards=len(cards),
        added=added,
        updated=updated,
        skipped=skipped,
        unchanged=unchanged,
        warnings=warnings,
        languages_added=added_languages,
    )


def _write_manifest(path: Path, pack_id: str, title: str, found: list[str], languages: list[str]) -> None:
    """A new pack.yaml. The title (a file name, or --title) is given in each language the source has text in, so a
    source with every text in each of its languages validates at once; any other language is left to write."""
    manifest = {
        "id": pack_id,
        "version": "0.1.0",
        "title": {code: title for code in found},
        "languages": languages,
        "license": "CC-BY-4.0",
        "authors": ["Imported"],
    }
    path.write_text(modeline(FILES["pack.yaml"], 0) + dump(manifest), encoding="utf-8")


def _entry(card: ImportedCard, lang: str, languages: list[str], old: dict | None) -> dict:
    """A card's YAML entry. On a re-import the source's texts replace those of the old entry, and everything else it
    holds stays: texts in any other language, `sources`, `demo`, `see_also`, whatever the author added by hand."""
    old = old or {}

    def texts(kind: str) -> dict[str, str]:
        given, made = {}, {}
        for code in languages:
            side = (
                {"title": card.title, "front": card.front, "back": card.back} if code == lang else card.other.get(code)
            )
            if side and side.get(kind):
                given[code] = side[kind][:MAX_TEXT]
            elif side and kind == "title" and side.get("front"):
                made[code] = _title_from(side["front"], card.id)
        kept = old.get(kind)
        # A title made from the front only fills a gap: one the author wrote (or edited) stays.
        return {**made, **(kept if isinstance(kept, dict) else {}), **given}

    entry: dict = {"id": card.id, "title": texts("title"), "front": texts("front"), "back": texts("back")}
    if card.tags:
        entry["tags"] = card.tags  # the source's tags replace the old ones
    entry.update({key: value for key, value in old.items() if key not in entry and key != "tags"})
    return entry


def _title_from(front: str, fallback: str) -> str:
    """A card title made from the first line of its front, when the source gives none."""
    first_line = front.strip().splitlines()[0] if front.strip() else fallback
    return first_line[:77] + "…" if len(first_line) > 78 else first_line

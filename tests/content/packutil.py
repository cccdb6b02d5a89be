"""Build small packs on disk for tests (the scaffold pack with files replaced or edited), and run the CLI in-process."""

from __future__ import annotations

from pathlib import Path

from studyml.cli import main
from studyml.content.loader import load_pack
from studyml.content.scaffold import scaffold


def make_pack(tmp: Path, files: dict[str, str | bytes | None] | None = None, name: str = "demo-pack") -> Path:
    """Scaffold a valid pack, then write (or delete, with None) the given relative files."""
    root = scaffold(tmp / name)
    files = dict(files or {})
    # The scaffold's card tag and its names in pack.yaml go together: a test that replaces one side drops the
    # other, so the rest of the pack stays valid and only what the test wrote is reported.
    if "cards/basics.yaml" in files and "pack.yaml" not in files:
        manifest = (root / "pack.yaml").read_text(encoding="utf-8")
        (root / "pack.yaml").write_text(manifest.split("tags:")[0], encoding="utf-8")
    if "pack.yaml" in files and "cards/basics.yaml" not in files:
        cards = (root / "cards" / "basics.yaml").read_text(encoding="utf-8")
        (root / "cards" / "basics.yaml").write_text(cards.replace("  tags: [activation]\n", ""), encoding="utf-8")
    for rel, content in files.items():
        path = root / rel
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def messages(root: Path, **kw) -> list[str]:
    """Diagnostics as the CLI prints them, with file names relative to the pack folder."""
    result = load_pack(root, display_root=Path(root.name), **kw)
    return [str(d) for d in result.diagnostics]


CARD = """\
- id: {id}
  title: {{en: T, ko: 제목}}
  front: {{en: F, ko: 앞}}
  back: {{en: B, ko: 뒤}}
  sources: [{{ref: R}}]
"""


def card(id: str = "sigmoid", **extra: str) -> str:
    text = CARD.format(id=id)
    for k, v in extra.items():
        text += f"  {k}: {v}\n"
    return text


def item(kind: str, body: str, id: str = "q1", card: str = "sigmoid") -> str:
    return (
        f"- id: {id}\n  card: {card}\n  kind: {kind}\n"
        "  prompt: {en: P, ko: 문제}\n  explanation: {en: E, ko: 해설}\n" + body
    )


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err

"""Inline math (`$...$`) in Markdown shown as readable Unicode, through pylatexenc."""

from __future__ import annotations

import re
from functools import lru_cache

_INLINE = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\])\$")
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_SUP_MAP = dict(zip("0123456789+-=()abcdefghijklmnoprstuvwxyzT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀ"))
_SUB_MAP = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
_SCRIPT = re.compile(r"([_^])(?:\{([^{}]*)\}|([A-Za-z0-9]))")
_SPACES = re.compile(r"  +")
_MARKS = {"_": "\ue000", "^": "\ue001"}
_UNMARK = str.maketrans({"\ue000": "_", "\ue001": "^"})
_SIMPLE_OPERAND = re.compile(r"^[^\s+\-*/=<>,]+$")


def _scripts(latex: str) -> str:
    """x^2 -> x², w_{t+1} -> wₜ₊₁ where every character has a Unicode form; else x^(a+b), n_out."""
    latex = re.sub(r"\^\s*\\(top|intercal)\b", "{}ᵀ", latex)

    def repl(m: re.Match) -> str:
        kind, raw = m.group(1), (m.group(2) if m.group(2) is not None else m.group(3))
        body = raw.replace(" ", "")
        table = _SUP_MAP if kind == "^" else _SUB_MAP
        if body and all(c in table for c in body):
            # `{}` ends a preceding macro name: `\theta{}ₜ` must not read as the macro `\thetaₜ`.
            return "{}" + "".join(table[c] for c in body)
        if "\\" in body or "\ue000" in body or "\ue001" in body:
            body = latex_to_unicode(raw).replace(" ", "").replace("_", _MARKS["_"]).replace("^", _MARKS["^"])  # _{x \sim p} -> _(x∼p)
        # A marker instead of _ / ^, so later passes (and pylatexenc) leave the result alone.
        mark = _MARKS[kind]
        return f"{mark}{body}" if body.isalnum() else f"{mark}({body})"

    latex = latex.replace("'", "′")  # primes, not quotes: f'' -> f′′
    latex = re.sub(r"\\[dt]?frac\s*(\d)\s*(\d)", r"\\frac{\1}{\2}", latex).replace("\\tfrac", "\\frac").replace("\\dfrac", "\\frac")
    # Innermost groups first, so ^{2i/d_{model}} keeps its grouping: ^(2i/d_model).
    for _ in range(5):
        new = _SCRIPT.sub(repl, latex)
        if new == latex:
            break
        latex = new
    return latex


def _wrap(s: str) -> str:
    s = s.strip()
    # A sum or product in a fraction needs parentheses once the bar becomes a slash.
    return s if _SIMPLE_OPERAND.match(s) else f"({s})"


@lru_cache(maxsize=1)
def _converter():
    from pylatexenc import latex2text

    def frac(n, l2tobj):
        num, den = (l2tobj.nodelist_to_text([a]) for a in n.nodeargd.argnlist[-2:])
        # A trailing space keeps "1/n ∑ᵢ" from reading as "1/(n∑ᵢ)".
        return f"{_wrap(num)}/{_wrap(den)} "

    db = latex2text.get_default_latex_context_db()
    db.add_context_category(
        "studyml",
        prepend=True,
        macros=[
            latex2text.MacroTextSpec("frac", simplify_repl=frac),
            latex2text.MacroTextSpec("dfrac", simplify_repl=frac),
            latex2text.MacroTextSpec("tfrac", simplify_repl=frac),
            latex2text.MacroTextSpec("|", simplify_repl="‖"),
            latex2text.MacroTextSpec("top", simplify_repl="ᵀ"),
            latex2text.MacroTextSpec("intercal", simplify_repl="ᵀ"),
            latex2text.MacroTextSpec("lVert", simplify_repl="‖"),
            latex2text.MacroTextSpec("rVert", simplify_repl="‖"),
            latex2text.MacroTextSpec("Vert", simplify_repl="‖"),
            latex2text.MacroTextSpec("arg", simplify_repl="arg"),
            latex2text.MacroTextSpec("argmax", simplify_repl="argmax "),
            latex2text.MacroTextSpec("argmin", simplify_repl="argmin "),
        ],
    )
    return latex2text.LatexNodes2Text(latex_context=db, math_mode="text", strict_latex_spaces="based-on-source")


def latex_to_unicode(latex: str) -> str:
    """One formula, e.g. '\\frac{2}{n_{in}+n_{out}}' -> '2/(nᵢₙ+nₒᵤₜ)'."""
    try:
        text = _converter().latex_to_text(_scripts(latex))
        return _SPACES.sub(" ", text.translate(_UNMARK)).strip()
    except Exception:  # a malformed formula is shown as written rather than hidden
        return latex


def render_math(markdown: str) -> str:
    """Replace every `$...$` / `$$...$$` in Markdown with its Unicode rendering."""
    if "$" not in markdown:
        return markdown
    markdown = _DISPLAY.sub(lambda m: "\n\n    " + latex_to_unicode(m.group(1)) + "\n\n", markdown)
    return _INLINE.sub(lambda m: latex_to_unicode(m.group(1)), markdown).replace("\\$", "$")

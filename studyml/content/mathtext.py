"""Inline math (`$...$`) in Markdown shown as readable Unicode, through pylatexenc."""

from __future__ import annotations

import re
from functools import lru_cache

_INLINE = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\])\$")
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_SUP_MAP = dict(zip("0123456789+-=()abcdefghijklmnoprstuvwxyzT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀ"))
_SUB_MAP = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
_SCRIPT = re.compile(r"([_^])(?:\{([^{}]*)\}|([A-Za-z0-9]))")
_SIMPLE_OPERAND = re.compile(r"^[^\s+\-*/=<>,]+$")


def _scripts(latex: str) -> str:
    """x^2 -> x², w_{t+1} -> wₜ₊₁ where every character has a Unicode form; else x^(a+b), n_out."""
    latex = re.sub(r"\^\s*\\(top|intercal)\b", "{}ᵀ", latex)

    def repl(m: re.Match) -> str:
        kind, body = m.group(1), (m.group(2) if m.group(2) is not None else m.group(3)).replace(" ", "")
        table = _SUP_MAP if kind == "^" else _SUB_MAP
        if body and all(c in table for c in body):
            # `{}` ends a preceding macro name: `\theta{}ₜ` must not read as the macro `\thetaₜ`.
            return "{}" + "".join(table[c] for c in body)
        if "\\" in body:
            return m.group(0)  # a macro inside: leave it to pylatexenc
        return f"{kind}{body}" if body.isalnum() else f"{kind}({body})"

    return _SCRIPT.sub(repl, latex)


def _wrap(s: str) -> str:
    s = s.strip()
    # A sum or product in a fraction needs parentheses once the bar becomes a slash.
    return s if _SIMPLE_OPERAND.match(s) else f"({s})"


@lru_cache(maxsize=1)
def _converter():
    from pylatexenc import latex2text, macrospec

    def frac(n, l2tobj):
        num, den = (l2tobj.nodelist_to_text([a]) for a in n.nodeargd.argnlist[-2:])
        return f"{_wrap(num)}/{_wrap(den)}"

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
        ],
    )
    return latex2text.LatexNodes2Text(latex_context=db, math_mode="text", strict_latex_spaces="based-on-source")


def latex_to_unicode(latex: str) -> str:
    """One formula, e.g. '\\frac{2}{n_{in}+n_{out}}' -> '2/(nᵢₙ+nₒᵤₜ)'."""
    try:
        return _converter().latex_to_text(_scripts(latex)).strip()
    except Exception:  # a malformed formula is shown as written rather than hidden
        return latex


def render_math(markdown: str) -> str:
    """Replace every `$...$` / `$$...$$` in Markdown with its Unicode rendering."""
    if "$" not in markdown:
        return markdown
    markdown = _DISPLAY.sub(lambda m: "\n\n    " + latex_to_unicode(m.group(1)) + "\n\n", markdown)
    return _INLINE.sub(lambda m: latex_to_unicode(m.group(1)), markdown).replace("\\$", "$")

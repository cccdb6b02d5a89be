"""Inline math (`$...$`) in Markdown shown as readable Unicode, through pylatexenc."""

from __future__ import annotations

import re
from functools import lru_cache

_INLINE = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\])\$")
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_SUP_MAP = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVW",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ",
    )
)
_SUP_MAP.update(zip("βγδθϑφϕχ*", "ᵝᵞᵟᶿᶿᵠᵠᵡ*"))  # D^* reads D*; there is no raised asterisk
_SUB_MAP = dict(zip("0123456789+-=()aehijklmnoprstuvxβγρφϕχ", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵩᵪ"))
_SCRIPT_CHARS = set(_SUP_MAP.values()) | set(_SUB_MAP.values())
_GREEK = set("αβγδεϵζηθϑικλμνξπϖρϱσςτυφϕχψωΓΔΘΛΞΠΣΥΦΨΩ")
# Markers the converter puts around operator names (log, exp, max…) and relations (∼, ≥, →…); they
# become spaces only where a reader needs one: "k log p", "log σ", "z ∼ 𝒩", but "log(x)" and "log₂".
_BEFORE, _AFTER, _SPACE = "\ue002", "\ue003", "\ue004"
_FUNCTIONS = (
    "log",
    "ln",
    "exp",
    "sin",
    "cos",
    "tan",
    "tanh",
    "sinh",
    "cosh",
    "max",
    "min",
    "sup",
    "inf",
    "det",
    "lim",
    "arg",
    "argmax",
    "argmin",
    "Pr",
)
_RELATIONS = {
    "sim": "∼",
    "geq": "≥",
    "ge": "≥",
    "leq": "≤",
    "le": "≤",
    "approx": "≈",
    "neq": "≠",
    "ne": "≠",
    "in": "∈",
    "notin": "∉",
    "to": "→",
    "rightarrow": "→",
    "Rightarrow": "⇒",
    "mapsto": "↦",
    "propto": "∝",
    "succeq": "⪰",
    "preceq": "⪯",
    "equiv": "≡",
    "gets": "←",
    "leftarrow": "←",
    "iff": "⇔",
}
_SCRIPT = re.compile(r"([_^])(?:\{([^{}]*)\}|([A-Za-z0-9*])|(\\[A-Za-z]+)(?![A-Za-z{]))")
_SPACES = re.compile(r"  +")
_MARKS = {"_": "\ue000", "^": "\ue001"}
_UNMARK = str.maketrans({"\ue000": "_", "\ue001": "^"})
_SIMPLE_OPERAND = re.compile(r"^[^\s+\-*/=<>,]+$")
_FUNCTION_FRAC = re.compile(r"(\\(?:%s))(?![a-zA-Z])\s*\\frac(?![a-zA-Z])" % "|".join(_FUNCTIONS))


# One factor: a number, a letter, a group in parentheses, a root or a norm, with its scripts; `dx` and `∂W` too.
_ONE_FACTOR = re.compile(
    r"[∂d]?(?:\d+(?:\.\d+)?|[^\W\d_]|√?\([^()]*\)|‖[^‖]*‖)(?:[%s]|\^\([^()]*\))*!?"
    % re.escape("".join(sorted(_SCRIPT_CHARS)))
)
_PARTIAL_SPACE = re.compile(r"∂ +(?=\w)")
_PARENTHESISED = re.compile(r"^\([^()]*\)$")
_OPERATOR_BEFORE = re.compile(r"\\(?:%s|sum|prod|int|oint|bigcup|bigcap|coprod)\s*$" % "|".join(_FUNCTIONS))


def _scripts(latex: str) -> str:
    """x^2 -> x², w_{t+1} -> wₜ₊₁ where every character has a Unicode form; else x^(a+b), n_out."""
    latex = re.sub(r"\^\s*\\(top|intercal)\b", "{}ᵀ", latex)

    def repl(m: re.Match) -> str:
        kind = m.group(1)
        raw = next(g for g in m.groups()[1:] if g is not None)
        body = raw.replace(" ", "")
        table = _SUP_MAP if kind == "^" else _SUB_MAP
        if body and all(c in table for c in body):
            # `{}` ends a preceding macro name: `\theta{}ₜ` must not read as the macro `\thetaₜ`.
            return "{}" + "".join(table[c] for c in body)
        if "\\" in body or "\ue000" in body or "\ue001" in body:
            body = latex_to_unicode(raw)
            # Spaces only around symbols go: _{x \sim p} -> _(x∼p), but ^{\ln 3} -> ^(ln 3).
            body = re.sub(r"\s*([^\w\s])\s*", r"\1", body).replace("_", _MARKS["_"]).replace("^", _MARKS["^"])
            if body and all(c in table or c in _SCRIPT_CHARS for c in body):  # ^{(0)\top} -> ⁽⁰⁾ᵀ
                return "{}" + "".join(table.get(c, c) for c in body)
            if kind == "_" and len(body) == 1 and body in _GREEK:
                if body in _SUB_MAP:  # φ, β, γ, ρ, χ have subscript forms
                    return "{}" + _SUB_MAP[body]
                # No Unicode subscript θ: pθ(x) and ∇θ read better than p_θ(x); after an operator (max, ∑)
                # the letter would merge into its argument, so max_θ keeps its mark.
                if not _OPERATOR_BEFORE.search(latex[: m.start()]):
                    return "{}" + body
            if len(body) == 1:
                return f"{_MARKS[kind]}{body}"
        # A marker instead of _ / ^, so later passes (and pylatexenc) leave the result alone.
        mark = _MARKS[kind]
        if body.isalnum() or _PARENTHESISED.match(body):  # PE_{(pos, 2i)} -> PE_(pos,2i), not PE_((pos,2i))
            return f"{mark}{body}"
        return f"{mark}({body})"

    latex = latex.replace("'", "′")  # primes, not quotes: f'' -> f′′
    latex = (
        re.sub(r"\\[dt]?frac\s*(\d)\s*(\d)", r"\\frac{\1}{\2}", latex)
        .replace("\\tfrac", "\\frac")
        .replace("\\dfrac", "\\frac")
    )
    latex = _fraction_arguments(latex)
    # Innermost groups first, so ^{2i/d_{model}} keeps its grouping: ^(2i/d_model).
    for _ in range(5):
        new = _SCRIPT.sub(repl, latex)
        if new == latex:
            break
        latex = new
    return latex


def _fraction_arguments(latex: str) -> str:
    """A fraction that is a function's argument in parentheses: \\log\\frac{p}{1-p} read as (log p)/(1-p)."""
    out, at = [], 0
    for m in _FUNCTION_FRAC.finditer(latex):
        if m.start() < at:
            continue
        end: int | None = m.end()
        for _ in range(2):  # the two arguments: {…} groups, or single tokens as in \frac12
            end = _group_end(latex, end) if end is not None else None
        if end is None:
            continue
        out += [latex[at : m.start(1)], m.group(1), "(", latex[m.end(1) : end].lstrip(), ")"]
        at = end
    return "".join(out) + latex[at:]


def _group_end(text: str, i: int) -> int | None:
    """Where the argument starting at `i` (spaces skipped) ends: a balanced {…}, or one character."""
    while i < len(text) and text[i] == " ":
        i += 1
    if i >= len(text):
        return None
    if text[i] != "{":
        return i + 1
    depth = 0
    for j in range(i, len(text)):
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        if depth == 0:
            return j + 1
    return None


def _wrap(s: str) -> str:
    s = s.strip()
    # A sum or product in a fraction needs parentheses once the bar becomes a slash.
    return s if _SIMPLE_OPERAND.match(s) else f"({s})"


def _wrap_denominator(s: str) -> str:
    """A denominator of more than one factor in parentheses too: 1/2σ² reads as σ²/2, and 1/τη as η/τ."""
    wrapped = _wrap(s)
    return wrapped if wrapped != s.strip() or _ONE_FACTOR.fullmatch(wrapped) else f"({wrapped})"


@lru_cache(maxsize=1)
def _converter():
    from pylatexenc import latex2text

    def frac(n, l2tobj):
        num, den = (_PARTIAL_SPACE.sub("∂", l2tobj.nodelist_to_text([a])) for a in n.nodeargd.argnlist[-2:])
        # A trailing space keeps "1/n ∑ᵢ" from reading as "1/(n∑ᵢ)".
        return f"{_wrap(num)}/{_wrap_denominator(den)} "

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
            *[latex2text.MacroTextSpec(name, simplify_repl=f"{_BEFORE}{name}{_AFTER}") for name in _FUNCTIONS],
            *[
                latex2text.MacroTextSpec(name, simplify_repl=f"{_SPACE}{sym}{_SPACE}")
                for name, sym in _RELATIONS.items()
            ],
        ],
    )
    return latex2text.LatexNodes2Text(latex_context=db, math_mode="text", strict_latex_spaces="based-on-source")


def _word_char(c: str) -> bool:
    return c.isalnum() and c not in _SCRIPT_CHARS


def _spaced(text: str) -> str:
    """Turn the operator and relation markers into spaces where they separate two words, else drop them."""
    out = []
    for i, c in enumerate(text):
        if c == _SPACE:
            out.append(" ")
        elif c == _BEFORE:
            prev = text[i - 1] if i else ""
            if prev and (_word_char(prev) or prev in ")]′"):
                out.append(" ")
        elif c == _AFTER:
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if nxt and (_word_char(nxt) or nxt in "∑∏∫√∇" or nxt == _BEFORE):
                out.append(" ")
        else:
            out.append(c)
    return "".join(out)


def latex_to_unicode(latex: str) -> str:
    """One formula, e.g. '\\frac{2}{n_{in}+n_{out}}' -> '2/(nᵢₙ+nₒᵤₜ)'."""
    try:
        text = _converter().latex_to_text(_scripts(latex))
        text = _PARTIAL_SPACE.sub("∂", _spaced(text.translate(_UNMARK)))  # ∂L/∂W, not ∂ L/∂ W
        # A fraction's trailing space: log(p/(1-p) ), (1/2 , 1/4); a space after a macro: ‖ w‖.
        text = _SPACES.sub(" ", text).replace(" )", ")").replace(" ,", ",")
        return _tight_norms(text).strip()
    except Exception:  # a malformed formula is shown as written rather than hidden
        return latex


def _tight_norms(text: str) -> str:
    """‖y - Xw‖, not ‖ y - Xw ‖ (a space after \\lVert is the source's, not the formula's): when the bars pair up,
    the text inside each pair loses its spaces at both ends."""
    parts = text.split("‖")
    if len(parts) % 2 == 0:  # an odd number of bars: which pairs with which is unclear
        return text
    return "‖".join(part.strip() if i % 2 else part for i, part in enumerate(parts))


def render_math(markdown: str) -> str:
    """Replace every `$...$` / `$$...$$` in Markdown with its Unicode rendering."""
    if "$" not in markdown:
        return markdown
    markdown = _DISPLAY.sub(lambda m: "\n\n    " + latex_to_unicode(m.group(1)) + "\n\n", markdown)
    return _INLINE.sub(lambda m: latex_to_unicode(m.group(1)), markdown).replace("\\$", "$")

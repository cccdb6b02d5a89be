"""Key descriptions in the learner's language: our bindings from the catalogue, Textual's own from a table."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from studyml.tui.i18n import tr

# Textual's own widgets' key descriptions (Input, OptionList, DataTable, …), shown by the help panel.
TEXTUAL_KEYS_KO = {
    "Bottom": "맨 아래",
    "Top": "맨 위",
    "Up": "위로",
    "Down": "아래로",
    "First": "처음",
    "Last": "마지막",
    "Home": "처음으로",
    "End": "끝으로",
    "Page Up": "한 페이지 위로",
    "Page Down": "한 페이지 아래로",
    "Page up": "한 페이지 위로",
    "Page down": "한 페이지 아래로",
    "Page Left": "한 페이지 왼쪽으로",
    "Page Right": "한 페이지 오른쪽으로",
    "Scroll Up": "위로 스크롤",
    "Scroll Down": "아래로 스크롤",
    "Scroll Left": "왼쪽으로 스크롤",
    "Scroll Right": "오른쪽으로 스크롤",
    "Scroll Home": "맨 위로 스크롤",
    "Scroll End": "맨 아래로 스크롤",
    "Cursor up": "커서 위로",
    "Cursor down": "커서 아래로",
    "Cursor left": "커서 왼쪽으로",
    "Cursor right": "커서 오른쪽으로",
    "Select": "선택",
    "Select all": "모두 선택",
    "Focus Next": "다음 요소로 이동",
    "Focus Previous": "이전 요소로 이동",
    "Submit": "제출",
    "Toggle": "켜기/끄기",
    "Toggle option": "항목 체크/해제",
    "Next option": "다음 항목",
    "Previous option": "이전 항목",
    "Press button": "버튼 누르기",
    "Show menu": "메뉴 보기",
    "Copy selected text": "선택한 글자 복사",
    "Cut selected text": "선택한 글자 잘라내기",
    "Paste text from the clipboard": "클립보드에서 붙여넣기",
    "Delete character left": "왼쪽 글자 지우기",
    "Delete character right": "오른쪽 글자 지우기",
    "Delete all to the left": "왼쪽 모두 지우기",
    "Delete all to the right": "오른쪽 모두 지우기",
    "Delete left to start of word": "왼쪽 단어 지우기",
    "Delete right to start of word": "오른쪽 단어 지우기",
    "Go to start": "처음으로 이동",
    "Go to end": "끝으로 이동",
    "Move cursor left": "커서 왼쪽으로",
    "Move cursor left a word": "커서 한 단어 왼쪽으로",
    "Move cursor right a word": "커서 한 단어 오른쪽으로",
    "Move cursor left and select": "왼쪽으로 선택",
    "Move cursor right and select": "오른쪽으로 선택",
    "Move cursor left a word and select": "왼쪽 단어 선택",
    "Move cursor right a word and select": "오른쪽 단어 선택",
    "Select line start": "줄 처음까지 선택",
    "Select line end": "줄 끝까지 선택",
    "Move cursor right or accept the completion suggestion": "커서 오른쪽으로 (또는 자동 완성 받기)",
}
_TEXTUAL_KEYS_EN = {ko: en for en, ko in TEXTUAL_KEYS_KO.items()}


def label_key(binding_id: str) -> str:
    """The catalogue key of a binding's footer text: `key.<name>` for the id `<scope>.<name>`.

    Ids are unique across the app (a user keymap names one binding); the texts are shared: the library's
    `library.back` and the study screen's `study.back` both read `key.back`.
    """
    return "key." + binding_id.rpartition(".")[2]


def localize_bindings(node: Any, lang: str) -> None:
    """Rewrite each binding's description from the catalogue (see `label_key`); those a screen inherits from
    Textual (tab, shift+tab, copy) from Textual's table, as the keys panel (?) lists them."""
    table = TEXTUAL_KEYS_KO if lang == "ko" else _TEXTUAL_KEYS_EN
    key_to_bindings = node._bindings.key_to_bindings
    for key, bindings in list(key_to_bindings.items()):
        key_to_bindings[key] = [_localized(b, lang, table) for b in bindings]


def _localized(binding: Any, lang: str, table: dict[str, str]) -> Any:
    key = label_key(binding.id) if binding.id else None
    text = tr(key, lang) if key else None
    if text is not None and text != key:  # tr gives the key back when the catalogue has no text for it
        return replace(binding, description=text)
    if binding.description in table:
        return replace(binding, description=table[binding.description])
    return binding

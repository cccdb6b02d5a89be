"""The one catalogue of UI strings, in English and Korean."""

from __future__ import annotations

LANGS = ("en", "ko")

CATALOGUE: dict[str, dict[str, str]] = {
    # -- app-wide -------------------------------------------------------------------------
    "app.title": {"en": "studyml", "ko": "studyml"},
    "app.subtitle": {"en": "machine learning, studied", "ko": "머신러닝 공부"},
    "key.quit": {"en": "Quit", "ko": "종료"},
    "key.back": {"en": "Back", "ko": "뒤로"},
    "key.help": {"en": "Keys", "ko": "단축키"},
    "key.lang": {"en": "한국어", "ko": "English"},
    "key.palette": {"en": "Commands", "ko": "명령"},
    "lang.switched": {"en": "Language: English", "ko": "언어: 한국어"},
    "error.title": {"en": "Error", "ko": "오류"},
    # -- library --------------------------------------------------------------------------
    "library.heading": {"en": "Your packs", "ko": "내 학습 팩"},
    "library.loading": {"en": "Loading packs…", "ko": "팩을 불러오는 중…"},
    "library.col.pack": {"en": "Pack", "ko": "팩"},
    "library.col.cards": {"en": "Cards", "ko": "카드"},
    "library.col.quiz": {"en": "Quiz", "ko": "퀴즈"},
    "library.col.due": {"en": "Due", "ko": "복습"},
    "library.col.new": {"en": "New", "ko": "새 카드"},
    "library.col.mastery": {"en": "Mastery", "ko": "숙련도"},
    "library.col.source": {"en": "Source", "ko": "출처"},
    "library.broken": {"en": "broken", "ko": "오류"},
    "library.builtin": {"en": "built-in", "ko": "기본"},
    "library.installed": {"en": "installed", "ko": "설치됨"},
    "library.empty": {"en": "No packs yet. Create one with `studyml pack new DIR`.", "ko": "아직 팩이 없습니다. `studyml pack new DIR`로 만들어 보세요."},
    "library.broken_detail": {"en": "This pack has {n} problem(s) and cannot be studied until they are fixed:", "ko": "이 팩에는 문제가 {n}개 있어 고치기 전에는 학습할 수 없습니다:"},
    "library.hint": {"en": "Enter: study · q: quiz · /: search · s: stats", "ko": "Enter: 학습 · q: 퀴즈 · /: 검색 · s: 통계"},
    "key.study": {"en": "Study", "ko": "학습"},
    "key.quiz": {"en": "Quiz", "ko": "퀴즈"},
    "key.search": {"en": "Search", "ko": "검색"},
    "key.stats": {"en": "Stats", "ko": "통계"},
    "key.demos": {"en": "Demos", "ko": "데모"},
    "search.placeholder": {"en": "Search cards: title, text, tags (English or Korean)", "ko": "카드 검색: 제목, 내용, 태그 (한국어 또는 영어)"},
    "search.none": {"en": "No card matches “{q}”.", "ko": "“{q}”에 맞는 카드가 없습니다."},
    "search.count": {"en": "{n} card(s)", "ko": "카드 {n}장"},
    # -- study ----------------------------------------------------------------------------
    "key.flip": {"en": "Show answer", "ko": "정답 보기"},
    "key.again": {"en": "Again", "ko": "다시"},
    "key.hard": {"en": "Hard", "ko": "어려움"},
    "key.good": {"en": "Good", "ko": "알맞음"},
    "key.easy": {"en": "Easy", "ko": "쉬움"},
    "key.demo": {"en": "Demo", "ko": "데모"},
    "key.undo": {"en": "Undo", "ko": "되돌리기"},
    "key.ahead": {"en": "Study ahead", "ko": "미리 학습"},
    "study.status": {"en": "{pack} · {left} left · {done} reviewed", "ko": "{pack} · 남은 카드 {left} · 복습 {done}"},
    "study.empty": {"en": "Nothing is due now. Press [b]a[/b] to study ahead, or [b]esc[/b] to go back.", "ko": "지금 복습할 카드가 없습니다. [b]a[/b]를 눌러 미리 학습하거나 [b]esc[/b]로 돌아가세요."},
    "study.summary": {"en": "Session done: {n} review(s) in {minutes} min.", "ko": "학습 완료: {minutes}분 동안 {n}번 복습했습니다."},
    "study.summary_hint": {"en": "[b]a[/b] study ahead · [b]u[/b] undo the last rating · [b]esc[/b] back", "ko": "[b]a[/b] 미리 학습 · [b]u[/b] 마지막 평가 되돌리기 · [b]esc[/b] 뒤로"},
    "study.undone": {"en": "Last rating undone.", "ko": "마지막 평가를 되돌렸습니다."},
    "study.nothing_ahead": {"en": "No cards are scheduled ahead yet: study new cards first.", "ko": "아직 미리 학습할 카드가 없습니다. 새 카드부터 학습하세요."},
    # -- palette --------------------------------------------------------------------------
    "cmd.library": {"en": "Go to the library", "ko": "라이브러리로 이동"},
    "cmd.study": {"en": "Study {pack}", "ko": "{pack} 학습"},
    "cmd.quiz": {"en": "Quiz on {pack}", "ko": "{pack} 퀴즈"},
    "cmd.stats": {"en": "Show statistics", "ko": "통계 보기"},
    "cmd.demo": {"en": "Run demo: {demo}", "ko": "데모 실행: {demo}"},
    "cmd.lang": {"en": "Switch language (English/한국어)", "ko": "언어 전환 (English/한국어)"},
    "cmd.search": {"en": "Search cards", "ko": "카드 검색"},
}


def tr(key: str, lang: str, /, **kw: object) -> str:
    """The text for `key` in `lang` (English if missing), formatted with `kw`."""
    entry = CATALOGUE.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    return text.format(**kw) if kw else text


def pick(text: dict[str, str] | None, lang: str) -> str:
    """Content text (a {lang: str} mapping from a pack) in `lang`, else English, else any."""
    if not text:
        return ""
    return text.get(lang) or text.get("en") or next(iter(text.values()))

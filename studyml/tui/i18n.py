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
    # -- quiz -----------------------------------------------------------------------------
    "quiz.setup": {"en": "Quiz: {pack}", "ko": "퀴즈: {pack}"},
    "quiz.tags": {"en": "Tags (none selected: all items)", "ko": "태그 (선택하지 않으면 전체)"},
    "quiz.count": {"en": "Questions:", "ko": "문항 수:"},
    "quiz.start": {"en": "Start", "ko": "시작"},
    "quiz.available": {"en": "{n} item(s) match.", "ko": "조건에 맞는 문항 {n}개"},
    "quiz.none": {"en": "No item matches these tags.", "ko": "선택한 태그에 맞는 문항이 없습니다."},
    "quiz.status": {"en": "Question {n} of {total} · {right} right · {kind}", "ko": "{total}문항 중 {n}번째 · 정답 {right} · {kind}"},
    "quiz.kind.choice": {"en": "one answer", "ko": "하나 고르기"},
    "quiz.kind.multi": {"en": "all that apply", "ko": "모두 고르기"},
    "quiz.kind.order": {"en": "put in order", "ko": "순서 맞추기"},
    "quiz.kind.numeric": {"en": "a number", "ko": "수치 답"},
    "quiz.kind.text": {"en": "a word or phrase", "ko": "단답형"},
    "quiz.kind.expr": {"en": "a formula", "ko": "수식"},
    "quiz.hint.choice": {"en": "↑↓ to move, Enter to answer", "ko": "↑↓로 이동, Enter로 답하기"},
    "quiz.hint.multi": {"en": "Space to tick each true statement, s to check", "ko": "Space로 맞는 것을 모두 체크하고 s로 확인"},
    "quiz.hint.order": {"en": "↑↓ to pick a step, Shift+↑↓ (or K/J) to move it, s to check", "ko": "↑↓로 단계를 고르고 Shift+↑↓ (또는 K/J)로 옮긴 뒤 s로 확인"},
    "quiz.hint.numeric": {"en": "Type a number (0.25, 1/4, 2.5e-1) and press Enter", "ko": "숫자를 입력하고 Enter (0.25, 1/4, 2.5e-1 모두 가능)"},
    "quiz.hint.text": {"en": "Type your answer (English or Korean) and press Enter", "ko": "답을 입력하고 Enter (한국어나 영어 모두 가능)"},
    "quiz.hint.expr": {"en": "Type a formula: + - * / ^, exp, log, sqrt, sigmoid…", "ko": "수식 입력: + - * / ^, exp, log, sqrt, sigmoid…"},
    "quiz.placeholder.numeric": {"en": "your number", "ko": "숫자"},
    "quiz.placeholder.text": {"en": "your answer", "ko": "답"},
    "quiz.placeholder.expr": {"en": "e.g. 2/(n_in + n_out)", "ko": "예: 2/(n_in + n_out)"},
    "quiz.symbols": {"en": "Symbols: {symbols}", "ko": "기호: {symbols}"},
    "quiz.unit": {"en": "Unit: {unit}", "ko": "단위: {unit}"},
    "quiz.checking": {"en": "Checking…", "ko": "채점 중…"},
    "quiz.in_place": {"en": "{k} of {n} steps were in the right place.", "ko": "{n}단계 중 {k}단계가 제자리에 있었습니다."},
    "quiz.correct": {"en": "Correct", "ko": "정답"},
    "quiz.wrong": {"en": "Not quite", "ko": "오답"},
    "quiz.expected": {"en": "Answer: {answer}", "ko": "정답: {answer}"},
    "quiz.after": {"en": "Enter/n next · c the card · d the demo", "ko": "Enter/n 다음 · c 카드 보기 · d 데모"},
    "quiz.score": {"en": "Score: {right} / {total} ({pct})", "ko": "점수: {total}문항 중 {right}개 정답 ({pct})"},
    "quiz.missed": {"en": "Missed:", "ko": "틀린 문항:"},
    "quiz.retry_hint": {"en": "Press r to retry the missed items, esc to go back.", "ko": "r을 눌러 틀린 문항을 다시 풀거나 esc로 돌아가세요."},
    "quiz.perfect": {"en": "Every answer right. Press esc to go back.", "ko": "모두 맞혔습니다! esc로 돌아가세요."},
    "quiz.done": {"en": "Quiz finished", "ko": "퀴즈 완료"},
    "key.next": {"en": "Next", "ko": "다음"},
    "key.card": {"en": "Card", "ko": "카드"},
    "key.retry": {"en": "Retry missed", "ko": "틀린 문항 다시"},
    "key.check": {"en": "Check", "ko": "확인"},
    "key.move_up": {"en": "Move up", "ko": "위로"},
    "key.move_down": {"en": "Move down", "ko": "아래로"},
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

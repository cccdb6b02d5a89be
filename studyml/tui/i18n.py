"""The one catalogue of UI strings, in English and Korean."""

from __future__ import annotations

from studyml.lang import pick  # noqa: F401  content text; the screens import it from here with tr

LANGS = ("en", "ko")

# Each entry: its text per language. English has two forms where a count is shown: "en" (plural) and "en.one"
# (used when the count is 1); the count is the `n` argument unless "count" names another one. Korean has no plural.
CATALOGUE: dict[str, dict[str, str]] = {
    # -- app-wide -------------------------------------------------------------------------
    "app.subtitle": {"en": "machine learning, studied", "ko": "머신러닝 공부"},
    "key.quit": {"en": "Quit", "ko": "종료"},
    "key.back": {"en": "Back", "ko": "뒤로"},
    "key.save": {"en": "Save", "ko": "저장"},
    "key.help": {"en": "Keys", "ko": "단축키"},
    "key.lang": {"en": "한국어", "ko": "English"},
    "key.palette": {"en": "Commands", "ko": "명령"},
    "lang.switched": {"en": "Language: English", "ko": "언어: 한국어"},
    "error.title": {"en": "Error", "ko": "오류"},
    "keymap.unreadable": {
        "en": "prefs.json could not be read ({error}): your keys and language are the defaults for now, and the file "
        "is left as it is until you mend it.",
        "ko": "prefs.json을 읽지 못했습니다({error}). 지금은 기본 키와 언어를 쓰고, 파일은 고칠 때까지 그대로 둡니다.",
    },
    "keymap.not_table": {
        "en": "prefs.json: keymap: {value} is not a table of binding ids and keys; your keys are the defaults. "
        'Write it as {{"library.search": "f"}}.',
        "ko": "prefs.json: keymap: 바인딩 id와 키의 표가 아니어서({value}) 기본 키를 씁니다. "
        '{{"library.search": "f"}}처럼 쓰세요.',
    },
    "keymap.not_text": {
        "en": 'prefs.json: keymap: {id}: {value} is not a key; write keys as text, e.g. "f5" or "ctrl+f". '
        "Ignored; your other keys apply.",
        "ko": 'prefs.json: keymap: {id}: 키는 "f5"나 "ctrl+f"처럼 글자로 써야 합니다({value}). '
        "이 항목만 무시하고 나머지 키는 적용합니다.",
    },
    "keymap.unknown_id": {
        "en": "prefs.json: keymap: {id}: no key binding has this id (ids are listed in the README); ignored, "
        "your other keys apply.",
        "ko": "prefs.json: keymap: {id}: 이 id의 키 바인딩이 없습니다(id 목록은 README에 있습니다). "
        "이 항목만 무시하고 나머지 키는 적용합니다.",
    },
    "keymap.bad_key": {
        "en": 'prefs.json: keymap: {id}: {value} is not a key name (e.g. "f", "f5", "ctrl+f", "space", '
        '"slash"; several: "space,f5"); ignored, your other keys apply.',
        "ko": 'prefs.json: keymap: {id}: 알 수 없는 키 이름입니다: {value}. "f", "f5", "ctrl+f", "space", '
        '"slash"처럼 쓰고, 여러 개는 "space,f5"처럼 씁니다. 이 항목만 무시하고 나머지 키는 적용합니다.',
    },
    # -- library --------------------------------------------------------------------------
    "library.heading": {"en": "Your packs", "ko": "내 학습 팩"},
    "library.loading": {"en": "Loading packs…", "ko": "팩을 불러오는 중…"},
    "library.checking": {
        "en": "Checking the packs… (as they were last time until then)",
        "ko": "팩을 확인하는 중입니다… (확인이 끝날 때까지 지난번 목록을 보여 줍니다)",
    },
    "library.wait": {
        "en": "The packs are still being checked; this starts as soon as they are ready.",
        "ko": "아직 팩을 확인하고 있습니다. 확인이 끝나면 바로 시작합니다.",
    },
    "library.col.pack": {"en": "Pack", "ko": "팩"},
    "library.col.cards": {"en": "Cards", "ko": "카드"},
    "library.col.quiz": {"en": "Quiz", "ko": "퀴즈"},
    "library.col.due": {"en": "Due", "ko": "복습 예정"},
    "library.col.new": {"en": "New", "ko": "새 카드"},
    "library.col.mastery": {"en": "Mastery", "ko": "숙련도"},
    "library.col.source": {"en": "Source", "ko": "출처"},
    "library.broken": {"en": "broken", "ko": "오류"},
    "library.builtin": {"en": "built-in", "ko": "기본"},
    "library.installed": {"en": "installed", "ko": "설치됨"},
    "library.package": {"en": "package", "ko": "패키지"},
    "library.folder": {"en": "folder", "ko": "폴더"},
    "library.empty": {
        "en": "No packs yet. Create one with `studyml pack new DIR`.",
        "ko": "아직 팩이 없습니다. `studyml pack new DIR`로 만들어 보세요.",
    },
    "library.broken_detail": {
        "en": "This pack has {n} problems and cannot be studied until they are fixed:",
        "en.one": "This pack has {n} problem and cannot be studied until it is fixed:",
        "ko": "이 팩에는 문제가 {n}개 있어 고치기 전에는 학습할 수 없습니다:",
    },
    "library.broken_edit": {
        "en": "[b]⚠ Its files now have {n} problems.[/b] Until they are fixed you study the version loaded before:",
        "en.one": "[b]⚠ Its files now have {n} problem.[/b] Until it is fixed you study the version loaded before:",
        "ko": "[b]⚠ 팩 파일에 문제가 {n}개 생겼습니다.[/b] 고칠 때까지는 이전에 불러온 버전으로 학습합니다:",
    },
    # Two lines, each whole at 80 columns: as one, "o:" ended a line and "study options" began the next.
    "library.hint": {
        "en": "{study}: study · {quiz}: quiz · {search}: search · {browse}: browse\n"
        "{stats}: stats · {demos}: demos · {options}: study options",
        "ko": "{study}: 학습 · {quiz}: 퀴즈 · {search}: 검색 · {browse}: 카드 목록\n"
        "{stats}: 통계 · {demos}: 데모 · {options}: 학습 옵션",
    },
    "key.study": {"en": "Study", "ko": "학습"},
    "key.quiz": {"en": "Quiz", "ko": "퀴즈"},
    "key.search": {"en": "Search", "ko": "검색"},
    "key.stats": {"en": "Stats", "ko": "통계"},
    "key.demos": {"en": "Demos", "ko": "데모"},
    "search.placeholder": {
        "en": "Search cards: title, text, tags (English or Korean)",
        "ko": "카드 검색: 제목, 내용, 태그 (한국어 또는 영어)",
    },
    "search.none": {"en": "No card matches “{q}”.", "ko": "“{q}”에 맞는 카드가 없습니다."},
    "search.count": {"en": "{n} cards", "en.one": "{n} card", "ko": "카드 {n}장"},
    # -- study ----------------------------------------------------------------------------
    "key.flip": {"en": "Show answer", "ko": "정답 보기"},
    "key.again": {"en": "Again", "ko": "다시"},
    "key.hard": {"en": "Hard", "ko": "어려움"},
    "key.good": {"en": "Good", "ko": "좋음"},
    "key.easy": {"en": "Easy", "ko": "쉬움"},
    "key.demo": {"en": "Demo", "ko": "데모"},
    "key.hint": {"en": "Hint", "ko": "힌트"},
    "key.good_space": {"en": "Good", "ko": "좋음"},
    "key.page_up": {"en": "Scroll up", "ko": "위로 스크롤"},
    "key.page_down": {"en": "Scroll down", "ko": "아래로 스크롤"},
    "key.card_up": {"en": "Scroll the card up", "ko": "카드 위로 스크롤"},
    "key.card_down": {"en": "Scroll the card down", "ko": "카드 아래로 스크롤"},
    "key.undo": {"en": "Undo", "ko": "되돌리기"},
    "key.ahead": {"en": "Study ahead", "ko": "미리 학습"},
    "study.counts": {
        "en": "{pack} · [b dodger_blue1]New {new}[/] · [b red]Learning {learning}[/] · [b green]Review {review}[/] · {done} reviewed",
        "ko": "{pack} · [b dodger_blue1]새 카드 {new}[/] · [b red]학습 중 {learning}[/] · [b green]복습 {review}[/] · 공부한 카드 {done}장",
    },
    "study.next_due": {
        "en": "The next card of this pack is due in {interval}.",
        "ko": "이 팩의 다음 카드는 {interval} 뒤에 복습합니다.",
    },
    "study.waiting": {
        "en": "Next card due in {interval}: it comes back here by itself (or press [b]a[/b] to study ahead).",
        "ko": "다음 카드는 {interval} 뒤에 나옵니다. 그때 여기에 저절로 나타납니다 ([b]a[/b]를 누르면 미리 학습).",
    },
    "quiz.saving": {
        "en": "A sync or another studyml window is writing to the progress database: your answers are saved as soon as it ends. Go on.",
        "ko": "동기화나 다른 studyml 창이 진도 데이터베이스에 쓰고 있습니다. 답은 그 작업이 끝나는 대로 저장되니 계속 푸세요.",
    },
    "quiz.saved": {"en": "Your answers are saved.", "ko": "답을 저장했습니다."},
    "quiz.not_saved": {
        "en": "An answer was not saved (it stays graded here). {why}",
        "ko": "답 하나가 저장되지 않았습니다(채점 결과는 여기 그대로입니다). {why}",
    },
    "study.undo_gone": {
        "en": "Not undone: that rating is no longer in your progress (a restore, or an undo in another window, took it back).",
        "ko": "되돌리지 않았습니다. 그 평가는 이미 진도에 없습니다(복원이나 다른 창의 되돌리기로 취소되었습니다).",
    },
    "study.undo_not_latest": {
        "en": "Not undone: the card was rated again after your rating (in another window or on another device), and undoing yours would take that rating back too.",
        "ko": "되돌리지 않았습니다. 이 평가 뒤에 다른 창이나 다른 기기에서 카드를 다시 평가해서, 되돌리면 그 평가까지 함께 취소됩니다.",
    },
    "card.see_also": {"en": "see also", "ko": "함께 볼 카드"},
    "study.saving": {
        "en": "Saving this rating… A sync or another studyml window is writing to the progress database; the rating is saved as soon as that ends.",
        "ko": "이 평가를 저장하는 중입니다… 동기화나 다른 studyml 창이 진도 데이터베이스에 쓰고 있어서, 그 작업이 끝나는 대로 저장됩니다.",
    },
    "study.not_saved": {
        "en": "The last card's rating was not saved; rate that card again. {why}",
        "ko": "마지막 카드의 평가는 저장되지 않았습니다. 그 카드를 다시 평가하세요. {why}",
    },
    "study.suspended": {
        "en": "Card suspended: it stays out of study until you unsuspend it in the browser.",
        "ko": "카드를 보류했습니다. 카드 목록에서 보류를 풀 때까지 학습에 나오지 않습니다.",
    },
    "study.buried": {"en": "Card buried until tomorrow.", "ko": "카드를 내일까지 숨겼습니다."},
    "flag.1": {"en": "red", "ko": "빨강"},
    "flag.2": {"en": "orange", "ko": "주황"},
    "flag.3": {"en": "green", "ko": "초록"},
    "flag.4": {"en": "blue", "ko": "파랑"},
    "key.suspend": {"en": "Suspend", "ko": "보류"},
    "key.bury": {"en": "Bury until tomorrow", "ko": "내일까지 숨기기"},
    "key.flag": {"en": "Flag", "ko": "플래그"},
    "key.card_info": {"en": "Card info", "ko": "카드 정보"},
    "key.sort": {"en": "Sort", "ko": "정렬"},
    "key.sort_reverse": {"en": "Reverse", "ko": "역순"},
    "info.heading": {"en": "Card info: {title} · {pack}", "ko": "카드 정보: {title} · {pack}"},
    "info.state": {"en": "State", "ko": "상태"},
    "info.state.new": {"en": "new (not studied yet)", "ko": "새 카드 (아직 학습하지 않음)"},
    "info.state.learning": {"en": "learning", "ko": "학습 중"},
    "info.state.review": {"en": "review", "ko": "복습"},
    "info.state.relearning": {"en": "relearning", "ko": "재학습 중"},
    "info.due": {"en": "Due", "ko": "복습 예정"},
    "info.in": {"en": "in {interval}", "ko": "{interval} 뒤"},
    "info.ago": {"en": "{interval} ago", "ko": "{interval} 전"},
    "info.first": {"en": "First studied", "ko": "처음 학습"},
    "info.reviews": {"en": "Reviews", "ko": "복습 횟수"},
    "info.lapses": {"en": "Lapses", "ko": "잊은 횟수"},
    "info.stability": {"en": "Stability", "ko": "안정성"},
    "info.days": {"en": "{n} days", "ko": "{n}일"},
    "info.difficulty": {"en": "Difficulty", "ko": "난이도"},
    "info.retrievability": {"en": "Retrievability now", "ko": "지금 기억할 확률"},
    "info.marks": {"en": "Marked", "ko": "표시"},
    "info.suspended": {"en": "suspended", "ko": "보류됨"},
    "info.buried": {"en": "buried until tomorrow", "ko": "내일까지 숨김"},
    "info.history": {"en": "Review history", "ko": "복습 기록"},
    "info.col.when": {"en": "When", "ko": "날짜"},
    "info.col.rating": {"en": "Rating", "ko": "평가"},
    "info.col.source": {"en": "From", "ko": "출처"},
    "info.col.interval": {"en": "Next in", "ko": "다음 복습까지"},
    "info.col.stability": {"en": "Stability (days)", "ko": "안정성 (일)"},
    "info.source.card": {"en": "studying", "ko": "학습"},
    "info.source.quiz": {"en": "quiz answer", "ko": "퀴즈 답"},
    "options.heading": {"en": "Study options", "ko": "학습 옵션"},
    "options.new": {"en": "New cards per day (per pack):", "ko": "하루 새 카드 수 (팩마다):"},
    "options.reviews": {
        "en": "Review cards per day (per pack; learning cards are not limited):",
        "ko": "하루 복습 카드 수 (팩마다, 학습 중인 카드는 제한 없음):",
    },
    "options.learning_steps_s": {
        "en": "Learning steps of a new card (1m 10m: s, m, h, d; empty: none):",
        "ko": "새 카드의 학습 단계 (1m 10m처럼 s, m, h, d 단위, 비우면 단계 없음):",
    },
    "options.relearning_steps_s": {
        "en": "Relearning steps after Again on a review card:",
        "ko": "복습 카드에 다시를 누른 뒤의 재학습 단계:",
    },
    "options.maximum_interval": {
        "en": "Maximum interval (days):",
        "ko": "최대 복습 간격 (일):",
    },
    "options.day_start_hour": {
        "en": "A study day starts at (hour, 0–23; Anki's 4 am by default):",
        "ko": "하루가 시작되는 시각 (0–23시, Anki처럼 기본은 새벽 4시):",
    },
    "options.learn_ahead_min": {
        "en": "Learn ahead: learning cards due within (minutes):",
        "ko": "미리 학습: 이 시간(분) 안에 돌아올 학습 카드는 바로 보여 줌:",
    },
    "options.retention": {
        "en": "Desired retention (0.70–0.99): higher means more reviews",
        "ko": "목표 기억 유지율 (0.70–0.99): 높을수록 복습이 많아집니다",
    },
    "options.quiz": {
        "en": "Quiz answers count as reviews of their card:",
        "ko": "퀴즈 답을 해당 카드의 복습으로 계산:",
    },
    "options.quiz.off": {
        "en": "Never: a quiz leaves the schedule alone",
        "ko": "안 함: 퀴즈는 복습 일정을 바꾸지 않음",
    },
    "options.quiz.started": {
        "en": "Only cards already started (new cards are left alone)",
        "ko": "이미 학습을 시작한 카드만 (새 카드는 그대로)",
    },
    "options.quiz.all": {"en": "All cards, new ones included", "ko": "새 카드를 포함한 모든 카드"},
    "options.sync": {
        "en": "Sync folder, shared by your machines (Syncthing, a cloud drive, git…); synced at start and exit:",
        "ko": "동기화 폴더 (Syncthing, 클라우드 드라이브, git 등으로 여러 기기가 함께 쓰는 폴더, 앱을 열고 닫을 때 동기화):",
    },
    "options.sync.placeholder": {"en": "empty: no sync", "ko": "비워 두면 동기화하지 않습니다"},
    "options.error.sync_missing": {
        "en": "the sync folder does not exist (create it first, or mount its drive)",
        "ko": "동기화 폴더가 없습니다(먼저 폴더를 만들거나 드라이브를 연결하세요)",
    },
    "options.error.sync_not_folder": {
        "en": "the sync folder is a file, not a folder",
        "ko": "동기화 폴더 자리에 있는 것은 폴더가 아니라 파일입니다",
    },
    "options.save": {"en": "Save", "ko": "저장"},
    "options.saved": {"en": "Saved.", "ko": "저장했습니다."},
    "options.not_number": {
        "en": "Type whole numbers of cards and days, and a retention such as 0.90.",
        "ko": "카드 수와 일수는 정수로, 유지율은 0.90처럼 입력하세요.",
    },
    "options.invalid": {"en": "Not saved: {reason}.", "ko": "저장하지 않았습니다: {reason}."},
    "options.error.retention": {
        "en": "desired retention must be between 0.70 and 0.99",
        "ko": "목표 기억 유지율은 0.70에서 0.99 사이여야 합니다",
    },
    "options.error.new_per_day": {
        "en": "the daily new-card limit must be a whole number from 0 to 9999",
        "ko": "하루 새 카드 수는 0에서 9999 사이의 정수여야 합니다",
    },
    "options.error.reviews_per_day": {
        "en": "the daily review limit must be a whole number from 0 to 9999",
        "ko": "하루 복습 카드 수는 0에서 9999 사이의 정수여야 합니다",
    },
    "options.error.learning_steps_s": {
        "en": "learning steps are times from 1s to 365d apart by spaces, such as 1m 10m",
        "ko": "학습 단계는 1m 10m처럼 1s에서 365d 사이의 시간을 띄어 써야 합니다",
    },
    "options.error.relearning_steps_s": {
        "en": "relearning steps are times from 1s to 365d apart by spaces, such as 10m",
        "ko": "재학습 단계는 10m처럼 1s에서 365d 사이의 시간을 띄어 써야 합니다",
    },
    "options.error.maximum_interval": {
        "en": "the maximum interval must be a whole number of days from 1 to 36500",
        "ko": "최대 복습 간격은 1에서 36500 사이의 정수(일)여야 합니다",
    },
    "options.error.day_start_hour": {
        "en": "the day's start must be a whole hour from 0 to 23",
        "ko": "하루가 시작되는 시각은 0에서 23 사이의 정수여야 합니다",
    },
    "options.error.learn_ahead_min": {
        "en": "learn ahead must be a whole number of minutes from 0 to 1440",
        "ko": "미리 학습 시간은 0에서 1440 사이의 정수(분)여야 합니다",
    },
    "options.error.quiz_reviews": {
        "en": "choose how quiz answers review cards",
        "ko": "퀴즈 답이 카드를 복습할지 고르세요",
    },
    "key.options": {"en": "Options", "ko": "옵션"},
    "cmd.options": {"en": "Study options", "ko": "학습 옵션"},
    "browse.placeholder": {
        "en": "/ filter: pack:ml tag:cnn is:due is:new is:suspended is:flagged prop:r<0.8 or words",
        "ko": "/ 필터: pack:ml tag:cnn is:due is:new is:suspended is:flagged prop:r<0.8 또는 단어",
    },
    "browse.count": {
        "en": "{n} of {total} cards · o or a click on a column sorts (O reverses) · Enter open · s study the pack · @ suspend · i card info",
        "en.one": "{n} of {total} card · o or a click on a column sorts (O reverses) · Enter open · s study the pack · @ suspend · i card info",
        "count": "total",
        "ko": "카드 {total}장 중 {n}장 · o 또는 열 제목 클릭으로 정렬 (O 역순) · Enter 열기 · s 팩 학습 · @ 보류 · i 카드 정보",
    },
    "browse.sorted_by": {"en": "sorted by {column}", "ko": "정렬: {column}"},
    "browse.no_match": {"en": "No card matches the filter", "ko": "필터에 맞는 카드가 없습니다"},
    "browse.bad_query": {"en": "Cannot read the filter: {message}", "ko": "필터를 읽을 수 없습니다: {message}"},
    "browse.overdue": {"en": "{interval} overdue", "ko": "{interval} 지남"},
    "browse.suspended": {"en": "Card suspended.", "ko": "카드를 보류했습니다."},
    "browse.unsuspended": {"en": "Card back in study.", "ko": "카드를 다시 학습에 넣었습니다."},
    "browse.col.pack": {"en": "Pack", "ko": "팩"},
    "browse.col.card": {"en": "Card", "ko": "카드"},
    "browse.col.tags": {"en": "Tags", "ko": "태그"},
    "browse.col.state": {"en": "State", "ko": "상태"},
    "browse.col.due": {"en": "Due", "ko": "복습 예정"},
    "browse.col.r": {"en": "Recall", "ko": "기억 확률"},
    "browse.col.flag": {"en": "Flag", "ko": "플래그"},
    "browse.help": {
        "en": '## Filter the cards\n\nEvery term must match:\n\n- `pack:ml` pack id or title\n- `tag:cnn` a tag by its id or its name (`tag:opt*` a prefix)\n- `is:due` `is:new` `is:learning` `is:review` `is:suspended` `is:buried` `is:flagged`\n- `prop:r<0.8` recall probability now; also `s` stability, `d` difficulty, `reps`, `lapses`\n- any other word: title, front, back in English or Korean ("quote phrases")\n- `-` before a term: the cards it does not match (`-is:new`, `-tag:cnn`)',
        "ko": '## 카드 거르기\n\n모든 조건이 맞아야 합니다:\n\n- `pack:ml` 팩 id 또는 제목\n- `tag:cnn` 태그 id나 이름 (`tag:opt*`는 접두어)\n- `is:due` `is:new` `is:learning` `is:review` `is:suspended` `is:buried` `is:flagged`\n- `prop:r<0.8` 지금 기억할 확률; `s` 안정성, `d` 난이도, `reps`, `lapses`도 가능\n- 그 밖의 단어: 한국어나 영어로 된 제목, 앞면, 뒷면 ("따옴표로 구절")\n- 조건 앞의 `-`: 그 조건에 맞지 않는 카드 (`-is:new`, `-tag:cnn`)',
    },
    "key.browse": {"en": "Browse", "ko": "카드 목록"},
    "key.open": {"en": "Open", "ko": "열기"},
    "cmd.browse": {"en": "Browse cards", "ko": "카드 목록 보기"},
    "study.empty": {
        "en": "Nothing is due now. Press [b]a[/b] to study ahead, or [b]esc[/b] to go back.",
        "ko": "지금 복습할 카드가 없습니다. [b]a[/b]를 눌러 미리 학습하거나 [b]esc[/b]로 돌아가세요.",
    },
    "study.review_limit": {
        "en": "The daily review limit ({limit}) is reached, and {n} more review cards are due. Press [b]a[/b] to "
        "review them anyway, or raise the limit in Options.",
        "en.one": "The daily review limit ({limit}) is reached, and {n} more review card is due. Press [b]a[/b] to "
        "review it anyway, or raise the limit in Options.",
        "ko": "오늘의 복습 한도({limit}장)에 도달했고, 복습할 카드가 {n}장 더 있습니다. [b]a[/b]를 누르면 한도와 "
        "상관없이 복습하고, 한도는 옵션에서 늘릴 수 있습니다.",
    },
    "study.summary": {
        "en": "Session done: {n} reviews in {minutes} min.",
        "en.one": "Session done: {n} review in {minutes} min.",
        "ko": "학습 완료: {minutes}분 동안 {n}번 복습했습니다.",
    },
    "study.summary_s": {  # under a minute: "0.5분 동안" read oddly
        "en": "Session done: {n} reviews in {seconds} s.",
        "en.one": "Session done: {n} review in {seconds} s.",
        "ko": "학습 완료: {seconds}초 동안 {n}번 복습했습니다.",
    },
    "study.summary_hint": {
        "en": "[b]a[/b] study ahead · [b]u[/b] undo the last rating · [b]esc[/b] back",
        "ko": "[b]a[/b] 미리 학습 · [b]u[/b] 마지막 평가 되돌리기 · [b]esc[/b] 뒤로",
    },
    "study.undone": {"en": "Last rating undone.", "ko": "마지막 평가를 되돌렸습니다."},
    "study.rated_elsewhere": {
        "en": "This card was rated elsewhere while it was shown here (another window, a quiz or a sync): it is not "
        "rated again.",
        "ko": "이 카드는 여기 보이는 동안 다른 곳(다른 창, 퀴즈, 동기화)에서 평가되어, 다시 평가하지 않았습니다.",
    },
    "study.unhidden": {"en": "The card is back.", "ko": "카드를 되돌렸습니다."},
    # The sync at start, in a toast (the counts are records: reviews, quiz answers, demo runs, settings).
    "sync.done": {
        "en": "Synced: sent {sent}, received {received}",
        "ko": "동기화했습니다: {sent}건 보냄, {received}건 받음",
    },
    "sync.undone": {"en": ", {n} undone on another device", "ko": ", 다른 기기에서 되돌린 평가 {n}건"},
    "sync.skipped": {
        "en": "; {n} bad records skipped",
        "en.one": "; {n} bad record skipped",
        "ko": "; 잘못된 기록 {n}건 건너뜀",
    },
    "sync.failed": {"en": "Sync failed: {error}", "ko": "동기화하지 못했습니다: {error}"},
    "sync.running": {"en": "syncing with the sync folder…", "ko": "동기화 폴더와 동기화하는 중…"},
    "sync.interrupted": {
        "en": "the sync at exit was stopped: nothing was merged or sent; the next sync sends it all",
        "ko": "닫을 때 하던 동기화를 멈췄습니다. 아무것도 합치거나 보내지 않았고, 다음 동기화 때 모두 보냅니다.",
    },
    "sync.folder_missing": {
        "en": "Not synced: the sync folder {folder} is not there. Is its drive or share mounted? Nothing was sent "
        "or merged; studyml tries again at the next start and exit.",
        "ko": "동기화하지 못했습니다: 동기화 폴더가 없습니다({folder}). 드라이브나 공유 폴더가 연결되어 있는지 "
        "확인하세요. 아무것도 보내거나 합치지 않았고, 다음에 앱을 열거나 닫을 때 다시 시도합니다.",
    },
    "sync.files_not_read": {
        "en": "; {n} files not read",
        "en.one": "; {n} file not read",
        "ko": "; 읽지 못한 파일 {n}개",
    },
    "sync.damaged": {
        "en": ". To repair a file with damaged lines: delete it from the sync folder (its device writes it again in "
        "full at its next sync), then sync here with `studyml sync --again`",
        "ko": ". 손상된 줄이 있는 파일을 고치려면 동기화 폴더에서 그 파일을 지우고(그 기기가 다음 동기화 때 전부 다시 씁니다) "
        "여기서 `studyml sync --again`으로 동기화하세요",
    },
    "sync.another_writer": {
        "en": ". Another install uses this device's id (a data folder copied from another machine?) and writes its "
        "sync file too: run `studyml sync DIR --new-device` on one of them",
        "ko": ". 다른 설치본이 이 기기의 ID로 같은 동기화 파일에 쓰고 있습니다(다른 컴퓨터에서 복사한 데이터 폴더?). "
        "둘 중 한 곳에서 `studyml sync DIR --new-device`를 실행하세요",
    },
    "sync.not_sent": {
        "en": ". Nothing was sent: this device's sync file in {folder} cannot be written here (permissions, or a "
        "read-only share). Make the folder writable, or choose one you can write to",
        "ko": ". 보낸 것은 없습니다: {folder}에 있는 이 기기의 동기화 파일에 여기서 쓸 수 없습니다(권한, 또는 읽기 "
        "전용 공유). 폴더에 쓰기 권한을 주거나 쓸 수 있는 폴더를 고르세요",
    },
    "sync.first_problem": {
        "en": " (first: {problem})",
        "ko": " (첫 번째 문제: {problem})",
    },
    "study.nothing_ahead": {
        "en": "No cards are scheduled ahead yet: study new cards first.",
        "ko": "아직 미리 학습할 카드가 없습니다. 새 카드부터 학습하세요.",
    },
    # -- quiz -----------------------------------------------------------------------------
    "quiz.setup": {"en": "Quiz: {pack}", "ko": "퀴즈: {pack}"},
    "quiz.tags": {
        "en": "Tags: tick some to quiz only their items (none ticked: all items)",
        "ko": "태그: 고른 태그의 문항만 냅니다 (고르지 않으면 전체)",
    },
    "quiz.count": {"en": "Questions:", "ko": "문항 수:"},
    "quiz.start": {"en": "Start", "ko": "시작"},
    "quiz.available": {"en": "{n} items match.", "en.one": "{n} item matches.", "ko": "조건에 맞는 문항 {n}개"},
    "quiz.none": {"en": "No item matches these tags.", "ko": "선택한 태그에 맞는 문항이 없습니다."},
    "backup.exit_failed": {
        "en": "the backup at exit was not taken: {error}",
        "ko": "종료할 때 백업하지 못했습니다: {error}",
    },
    "quiz.no_tag_match": {"en": "No tag matches “{needle}”.", "ko": "“{needle}”에 맞는 태그가 없습니다."},
    "quiz.status": {
        "en": "Question {n} of {total} · {right} right · {kind}",
        "ko": "{total}문항 중 {n}번째 · 정답 {right} · {kind}",
    },
    "quiz.kind.choice": {"en": "one answer", "ko": "하나 고르기"},
    "quiz.kind.multi": {"en": "all that apply", "ko": "모두 고르기"},
    "quiz.kind.order": {"en": "put in order", "ko": "순서 맞추기"},
    "quiz.kind.numeric": {"en": "a number", "ko": "수치 답"},
    "quiz.kind.text": {"en": "a word or phrase", "ko": "단답형"},
    "quiz.kind.expr": {"en": "a formula", "ko": "수식"},
    "quiz.hint.choice": {
        "en": "a–{last} or 1–{n} to answer, or ↑↓ and Enter",
        "ko": "a–{last} 또는 1–{n} 키로 답하거나 ↑↓로 고른 뒤 Enter",
    },
    "quiz.hint.multi": {
        "en": "Space or a statement's letter ticks it; tick every true one, then s to check",
        "ko": "Space나 보기의 글자로 체크합니다. 맞는 것을 모두 체크한 뒤 s로 확인",
    },
    "quiz.hint.multi_none": {
        "en": "Nothing is ticked: at least one statement is true. Tick it with Space or its letter, then s to check",
        "ko": "체크한 보기가 없습니다. 맞는 보기가 적어도 하나 있습니다. Space나 글자로 체크한 뒤 s로 확인하세요",
    },
    "quiz.hint.order": {
        "en": "↑↓ to pick a step, Shift+↑↓ (or K/J) to move it, s to check",
        "ko": "↑↓로 단계를 고르고 Shift+↑↓ (또는 K/J)로 옮긴 뒤 s로 확인",
    },
    "quiz.hint.numeric": {
        "en": "Type a number (0.25, 1/4, 2.5e-1) and press Enter",
        "ko": "숫자를 입력하고 Enter (0.25, 1/4, 2.5e-1 모두 가능)",
    },
    "quiz.hint.text": {
        "en": "Type your answer (English or Korean) and press Enter",
        "ko": "답을 입력하고 Enter (한국어나 영어 모두 가능)",
    },
    "quiz.hint.expr": {
        "en": "Type a formula: + - * / ^, exp, log, sqrt, sigmoid…",
        "ko": "수식 입력: + - * / ^, exp, log, sqrt, sigmoid…",
    },
    "quiz.placeholder.numeric": {"en": "your number", "ko": "숫자"},
    "quiz.placeholder.text": {"en": "your answer", "ko": "답"},
    # Not an example formula: one in other symbols than the item's read as a hint to use them.
    "quiz.placeholder.expr": {"en": "your formula, in the symbols below", "ko": "수식 (아래 기호로)"},
    "quiz.symbols": {"en": "Symbols: {symbols}", "ko": "기호: {symbols}"},
    "quiz.symbol_signed": {"en": "{name} (may be negative)", "ko": "{name} (음수 가능)"},
    "quiz.unit": {"en": "Unit: {unit}", "ko": "단위: {unit}"},
    "quiz.checking": {"en": "Checking…", "ko": "채점 중…"},
    "quiz.you_gave": {"en": "You gave {value}.", "ko": "입력한 값: {value}"},
    "quiz.not_a_number": {
        "en": "Could not read “{value}” as a number.",
        "ko": "“{value}”을(를) 숫자로 읽을 수 없습니다.",
    },
    "quiz.bad_formula": {"en": "Could not read your formula: {message}", "ko": "수식을 읽을 수 없습니다: {message}"},
    "quiz.ambiguous_comma": {
        "en": "“{value}” is ambiguous: type {thousands} or {decimal}. Not graded yet.",
        "ko": "“{value}”는 뜻이 모호합니다. {thousands} 또는 {decimal}로 입력하세요. 아직 채점하지 않았습니다.",
    },
    "quiz.unreadable_number": {
        "en": "“{value}” is not a number I can read: type digits, e.g. 0.25, 1/4 or 2.5e-1. Not graded yet.",
        "ko": "“{value}”은(는) 읽을 수 있는 숫자가 아닙니다. 0.25, 1/4, 2.5e-1처럼 숫자로 입력하세요. 아직 채점하지 않았습니다.",
    },
    "quiz.unreadable_formula": {
        "en": "The formula cannot be read yet: {message}. Fix it and press Enter; it is not graded until then.",
        "ko": "수식을 아직 읽을 수 없습니다: {message}. 고친 뒤 Enter를 누르세요. 그 전에는 채점하지 않습니다.",
    },
    # A formula the learner typed, said in their language (studyml.quiz.mathparse MathError.code, expr results)
    "math.at": {"en": "column {col}: {message}", "ko": "{col}번째 글자: {message}"},
    "math.missing_operator": {
        "en": "missing operator between '{left}' and '{right}': write {fix}",
        "ko": "'{left}' 다음, '{right}' 앞에 연산자가 없습니다. {fix}처럼 쓰세요",
    },
    "math.unreadable": {
        "en": "could not read the expression: {detail}",
        "ko": "식을 읽을 수 없습니다. 괄호와 연산자를 확인하세요",
    },
    "math.is_function": {
        "en": "'{name}' is a function: write {name}(...)",
        "ko": "'{name}'은(는) 함수입니다. {name}(...)처럼 쓰세요",
    },
    "math.unknown_name": {
        "en": "unknown name '{name}'; this item's symbols are: {known}",
        "ko": "모르는 이름 '{name}'. 이 문항의 기호: {known}",
    },
    "math.unknown_name.none": {
        "en": "unknown name '{name}'; this item has no symbols",
        "ko": "모르는 이름 '{name}'. 이 문항에는 기호가 없습니다",
    },
    "math.unknown_function": {
        "en": "unknown function '{name}'; allowed functions: {allowed}",
        "ko": "모르는 함수 '{name}'. 쓸 수 있는 함수: {allowed}",
    },
    "math.operator": {
        "en": "operator '{op}' is not allowed; use + - * / and ** or ^",
        "ko": "연산자 '{op}'은(는) 쓸 수 없습니다. + - * / 와 ** 또는 ^를 쓰세요",
    },
    "math.differs_at": {
        "en": "not equivalent to the expected answer: at {where} yours is {yours}, expected {expected}",
        "ko": "기대한 답과 같지 않습니다. {where}에서 내 답은 {yours}, 기대한 답은 {expected}입니다",
    },
    "math.differs": {
        "en": "not equivalent to the expected answer: yours is {yours}, expected {expected}",
        "ko": "기대한 답과 같지 않습니다. 내 답은 {yours}, 기대한 답은 {expected}입니다",
    },
    "quiz.in_place": {
        "en": "In the right order relative to each other: {k} of {n}.",
        "ko": "서로 올바른 순서였던 것: {n}개 중 {k}개.",
    },
    "quiz.correct": {"en": "Correct", "ko": "정답"},
    "quiz.proposed": {
        "en": "Rating: {rating} (1 Again · 2 Hard · 3 Good · 4 Easy to change)",
        "ko": "평가: {rating} (바꾸려면 1 다시 · 2 어려움 · 3 좋음 · 4 쉬움)",
    },
    "quiz.not_a_review.off": {
        "en": "Not counted as a review: quiz answers do not count as reviews (study options).",
        "ko": "복습으로 치지 않습니다. 퀴즈 답은 복습으로 계산하지 않습니다 (학습 옵션).",
    },
    "quiz.not_a_review.new": {
        "en": "Not counted as a review: the card is new, and quiz answers review only cards you have started (study options).",
        "ko": "복습으로 치지 않습니다. 새 카드이고, 이미 학습을 시작한 카드만 퀴즈 답을 복습으로 계산합니다 (학습 옵션).",
    },
    "quiz.not_a_review.suspended": {
        "en": "Not counted as a review: the card is suspended.",
        "ko": "복습으로 치지 않습니다. 보류한 카드입니다.",
    },
    "quiz.not_a_review.unreadable": {
        "en": "Not counted as a review: your progress could not be read (the answer is graded).",
        "ko": "복습으로 치지 않습니다. 학습 기록을 읽을 수 없습니다 (답은 채점했습니다).",
    },
    "quiz.not_a_review.no_card": {
        "en": "Not counted as a review: this question belongs to no card.",
        "ko": "복습으로 치지 않습니다. 이 문항은 카드에 속하지 않습니다.",
    },
    "quiz.not_a_review.again": {
        "en": "Not another review: this quiz already rated this card; the answer is recorded.",
        "ko": "이 카드는 이번 퀴즈에서 이미 평가했으므로 다시 복습으로 치지 않습니다. 답은 기록됩니다.",
    },
    "quiz.reason.hint": {"en": "Hard, as you used a hint.", "ko": "힌트를 보았으므로 어려움입니다."},
    "quiz.reason.slow": {
        "en": "Hard, as you took {s} s (over 90 s).",
        "ko": "{s}초가 걸렸으므로(90초 초과) 어려움입니다.",
    },
    "quiz.reason.slow.usual": {
        "en": "Hard, as you took {s} s, over twice your usual {usual} s on this kind of question.",
        "ko": "{s}초가 걸려 이런 문항의 평소 시간({usual}초)의 두 배를 넘었으므로 어려움입니다.",
    },
    "quiz.reason.fast.usual": {
        "en": "Easy, as you took {s} s, under half your usual {usual} s on this kind of question.",
        "ko": "{s}초 만에 답해 이런 문항의 평소 시간({usual}초)의 절반이 안 되었으므로 쉬움입니다.",
    },
    "quiz.rating.1": {"en": "Again", "ko": "다시"},
    "quiz.rating.2": {"en": "Hard", "ko": "어려움"},
    "quiz.rating.3": {"en": "Good", "ko": "좋음"},
    "quiz.rating.4": {"en": "Easy", "ko": "쉬움"},
    "quiz.partial_multi": {
        "en": "{k} of {n} options judged right.",
        "ko": "보기 {n}개 중 {k}개를 바르게 판단했습니다.",
    },
    "quiz.wrong": {"en": "Not quite", "ko": "오답"},
    "quiz.expected": {"en": "Answer: {answer}", "ko": "정답: {answer}"},
    "quiz.your_answer": {"en": "your answer", "ko": "내 답"},
    "quiz.your_order": {
        "en": "Your order (✗ one to move; the ✓ ones are in order among themselves)",
        "ko": "내가 놓은 순서 (✗ 옮길 것, ✓끼리는 순서가 맞음)",
    },
    "quiz.belongs_at": {"en": "belongs at {n}", "ko": "제자리는 {n}번째"},
    "quiz.after": {"en": "Enter/n next · c the card", "ko": "Enter/n 다음 · c 카드 보기"},
    "quiz.locked": {
        "en": "Your answer is locked in. Press d to run the demo: the answer and explanation follow its run.",
        "ko": "답을 고정했습니다. d를 눌러 데모를 실행하세요. 정답과 설명은 실행 후에 나옵니다.",
    },
    "quiz.locked_hint": {
        "en": "d the demo · Enter/n skip to the next question",
        "ko": "d 데모 · Enter/n 다음 문항으로 건너뛰기",
    },
    "quiz.judged_by_demo": {"en": "Judged against what the demo measured.", "ko": "데모가 측정한 값으로 판정했습니다."},
    "quiz.claim_held": {
        "en": "Graded against the key; the demo's run confirmed the claim.",
        "ko": "정답과 비교해 채점했습니다. 데모 실행에서도 주장이 성립했습니다.",
    },
    "quiz.claim_not_held": {
        "en": "Graded against the key; in this run the demo did not confirm the claim.",
        "ko": "정답과 비교해 채점했습니다. 이번 데모 실행에서는 주장이 확인되지 않았습니다.",
    },
    "quiz.after_demo": {"en": "Enter/n next · c the card · d the demo", "ko": "Enter/n 다음 · c 카드 보기 · d 데모"},
    "quiz.score": {"en": "Score: {right} / {total} ({pct})", "ko": "점수: {total}문항 중 {right}개 정답 ({pct})"},
    "quiz.missed": {"en": "Missed:", "ko": "틀린 문항:"},
    "quiz.retry_hint": {
        "en": "Press r to retry the missed items, esc to go back.",
        "ko": "r을 눌러 틀린 문항을 다시 풀거나 esc로 돌아가세요.",
    },
    "quiz.perfect": {"en": "Every answer right. Press esc to go back.", "ko": "모두 맞혔습니다! esc로 돌아가세요."},
    "quiz.done": {"en": "Quiz finished", "ko": "퀴즈 완료"},
    "quiz.practice_status": {
        "en": "Practice · question {n} · {right} of {answered} right · esc to stop",
        "ko": "연습 · {n}번째 문항 · {answered}문항 중 {right}개 정답 · esc로 끝내기",
    },
    "key.practice": {"en": "Practise", "ko": "연습"},
    "key.next": {"en": "Next", "ko": "다음"},
    "key.card": {"en": "Card", "ko": "카드"},
    "key.retry": {"en": "Retry missed", "ko": "틀린 문항 다시"},
    "key.check": {"en": "Check", "ko": "확인"},
    "key.move_up": {"en": "Move up", "ko": "위로"},
    "key.move_down": {"en": "Move down", "ko": "아래로"},
    # -- demo -----------------------------------------------------------------------------
    "demo.list.heading": {"en": "Live demos", "ko": "실습 데모"},
    "demo.list.meta": {
        "en": "about {secs} s · {n} claims",
        "en.one": "about {secs} s · {n} claim",
        "ko": "약 {secs}초 · 주장 {n}개",
    },
    "demo.list.empty": {
        "en": "No demo plugins found. `studyml demo list` shows why.",
        "ko": "데모 플러그인이 없습니다. `studyml demo list`로 이유를 확인하세요.",
    },
    "demo.list.loading": {
        "en": "Reading the demo plugins (the first time takes a few seconds)…",
        "ko": "데모 플러그인을 읽는 중입니다(처음에는 몇 초 걸립니다)…",
    },
    "demo.list.hint": {"en": "Enter: open the demo · esc: back", "ko": "Enter: 데모 열기 · esc: 뒤로"},
    "demo.list.cannot_run": {"en": "⚠ {name}: cannot run", "ko": "⚠ {name}: 실행할 수 없음"},
    "demo.list.unusable": {
        "en": "⚠ {n} plugins cannot run: listed last, with why",
        "en.one": "⚠ {n} plugin cannot run: listed last, with why",
        "ko": "⚠ 실행할 수 없는 플러그인 {n}개: 맨 아래에 이유와 함께 있습니다",
    },
    "demo.unknown": {"en": "No demo with id “{id}”.", "ko": "“{id}” 데모가 없습니다."},
    "demo.meta": {
        "en": "About {secs} s with the defaults · {n} claims to check",
        "en.one": "About {secs} s with the defaults · {n} claim to check",
        "ko": "기본값으로 약 {secs}초 · 확인할 주장 {n}개",
    },
    "demo.params": {"en": "Parameters", "ko": "매개변수"},
    "demo.no_params": {"en": "This demo has no parameters.", "ko": "이 데모에는 매개변수가 없습니다."},
    "demo.allowed": {"en": "Allowed: {bounds}", "ko": "허용 범위: {bounds}"},
    # The type word a parameter's bounds start with (demos/params.py `_bounds`), and its list of choices.
    "demo.bounds.int": {"en": "int", "ko": "정수"},
    "demo.bounds.float": {"en": "float", "ko": "실수"},
    "demo.bounds.bool": {"en": "bool", "ko": "참/거짓"},
    "demo.bounds.str": {"en": "text", "ko": "텍스트"},
    "demo.bounds.any": {"en": "any", "ko": "아무 값"},
    "demo.bounds.one_of": {"en": "one of {values}", "ko": "다음 중 하나: {values}"},
    "demo.not_number": {"en": "Not a number. Allowed: {bounds}", "ko": "숫자가 아닙니다. 허용 범위: {bounds}"},
    "demo.fix_params": {"en": "Fix the highlighted parameters first.", "ko": "표시된 매개변수를 먼저 고치세요."},
    "demo.run": {"en": "Run", "ko": "실행"},
    "demo.rerun": {"en": "Run again", "ko": "다시 실행"},
    "demo.estimate": {"en": "This run: about {secs} s.", "ko": "이번 실행: 약 {secs}초."},
    "demo.estimate.slow": {
        "en": "⚠ This run: about {secs} s (more than {limit} s). Smaller values run faster.",
        "ko": "⚠ 이번 실행: 약 {secs}초({limit}초 초과). 값을 줄이면 더 빨리 끝납니다.",
    },
    "demo.estimate.too_long": {
        "en": "⚠ This run: about {secs} s, and a run is stopped at {stop} s. Use smaller values here, or run it with "
        "`studyml demo run {id} --timeout S`.",
        "ko": "⚠ 이번 실행: 약 {secs}초인데 실행은 {stop}초에서 멈춥니다. 여기서는 값을 줄이거나, "
        "`studyml demo run {id} --timeout S`로 실행하세요.",
    },
    "demo.running": {"en": "Running…", "ko": "실행 중…"},
    "demo.ready": {"en": "Ready. Press r to run.", "ko": "r을 눌러 실행하세요."},
    # Shown until the demo's first progress: the worker may have started long before (a plugin that reports late).
    "demo.starting": {
        "en": "Waiting for the demo's first progress…",
        "ko": "데모의 첫 진행 상황을 기다리는 중…",
    },
    "demo.eta": {"en": "{elapsed} s elapsed · about {eta} s left", "ko": "{elapsed}초 경과 · 약 {eta}초 남음"},
    "demo.elapsed": {"en": "{elapsed} s elapsed", "ko": "{elapsed}초 경과"},
    "demo.done": {"en": "Finished in {secs} s.", "ko": "{secs}초 만에 끝났습니다."},
    "demo.done_plain": {"en": "Finished.", "ko": "끝났습니다."},
    "demo.cancelling": {"en": "Cancelling…", "ko": "취소하는 중…"},
    "demo.cancelled": {
        "en": "Cancelled. Change the parameters and press r to run again.",
        "ko": "취소했습니다. 매개변수를 바꾸고 r을 눌러 다시 실행하세요.",
    },
    "demo.failed": {"en": "The demo failed ({kind}): {message}", "ko": "데모 실행 실패 ({kind}): {message}"},
    "demo.crash_lines": {
        "en": "Its last output, and where it stopped (`studyml demo run` shows all of it):",
        "ko": "마지막 출력과 멈춘 곳 (전체는 `studyml demo run`으로 볼 수 있습니다):",
    },
    "demo.raised_at": {
        "en": "Where it stopped (`studyml demo run {id}` shows the whole traceback):",
        "ko": "멈춘 곳 (전체 트레이스백은 `studyml demo run {id}`로 볼 수 있습니다):",
    },
    "demo.plot": {"en": "Plot {i} of {n}: {name} · p: next plot", "ko": "그래프 {i}/{n}: {name} · p: 다음 그래프"},
    "demo.bad_initial": {
        "en": "The card's value {value} cannot be used ({problem}); using the default {default}.",
        "ko": "카드의 값 {value}은(는) 쓸 수 없어({problem}) 기본값 {default}을(를) 씁니다.",
    },
    "demo.not_bool": {"en": "on or off", "ko": "켜기 또는 끄기"},
    "demo.plot.log_scale": {"en": "log scale", "ko": "로그 눈금"},
    "demo.plot.nonfinite": {
        "en": "{n} non-finite points (NaN or infinite) not shown",
        "ko": "유한하지 않은 점(NaN 또는 무한대) {n}개는 표시하지 않습니다",
    },
    "demo.plot.off_log_axis": {
        "en": "{n} points at or below zero not shown on the log axis",
        "en.one": "{n} point at or below zero not shown on the log axis",
        "ko": "로그 축에 그릴 수 없는 0 이하의 점 {n}개는 표시하지 않았습니다",
    },
    "demo.plot.unplottable": {
        "en": "These values are too large to plot (near the limits of a float); the numbers are below.",
        "ko": "값이 너무 커서(부동소수점 한계 근처) 그래프로 그릴 수 없습니다. 수치는 아래에 있습니다.",
    },
    "demo.plot.main": {"en": "curves", "ko": "곡선"},
    "demo.plot.paths": {"en": "optimizer paths on {problem}", "ko": "{problem}에서의 옵티마이저 경로"},
    "demo.plot.waiting": {
        "en": "Plots appear here while the demo runs.",
        "ko": "데모가 실행되는 동안 여기에 그래프가 나타납니다.",
    },
    "demo.claims": {"en": "Claims", "ko": "주장"},
    "demo.claims.pending": {"en": "Run the demo to check these claims:", "ko": "데모를 실행해 다음 주장을 확인하세요:"},
    "demo.claims.summary": {
        "en": "{ok} of {n} claims hold.",
        "en.one": "{ok} of {n} claim holds.",
        "ko": "주장 {n}개 중 {ok}개가 성립합니다.",
    },
    "demo.observed": {"en": "observed", "ko": "관측값"},
    "demo.threshold": {"en": "threshold", "ko": "기준"},
    "demo.metrics": {"en": "Metrics", "ko": "측정값"},
    "demo.col.metric": {"en": "Metric", "ko": "측정 항목"},
    "demo.col.value": {"en": "Value", "ko": "값"},
    "demo.explanation": {"en": "What it shows", "ko": "무엇을 보여 주나"},
    "demo.predict.number": {
        "en": "Your prediction of {metric} (a number), then Enter:",
        "ko": "{metric}의 예측값(숫자)을 입력하고 Enter:",
    },
    "demo.predict.claim": {"en": "Will this hold?", "ko": "이 주장이 성립할까요?"},
    "demo.predict.yes": {"en": "Yes, it holds", "ko": "예, 성립한다"},
    "demo.predict.no": {"en": "No, it fails", "ko": "아니요, 성립하지 않는다"},
    "demo.predict.locked": {
        "en": "Your prediction: {value} (locked). Run the demo to check it.",
        "ko": "내 예측: {value} (고정됨). 데모를 실행해 확인하세요.",
    },
    "demo.predict.running": {
        "en": "Your prediction: {value} (locked). The demo is running…",
        "ko": "내 예측: {value} (고정됨). 데모를 실행하는 중입니다…",
    },
    "demo.predict.final": {
        "en": "Your prediction was {value}. It was judged against this run.",
        "ko": "내 예측: {value}. 이번 실행 결과로 판정했습니다.",  # not "…{value}였습니다": 0.98이었습니다, 성립한다였습니다
    },
    "demo.predict.state.predict": {"en": "1 · Predict first", "ko": "1 · 먼저 예측하세요"},
    "demo.predict.state.locked": {"en": "2 · Prediction locked", "ko": "2 · 예측 고정됨"},
    "demo.predict.state.running": {"en": "3 · Running the demo", "ko": "3 · 데모 실행 중"},
    "demo.predict.state.verdict": {"en": "4 · Verdict", "ko": "4 · 판정"},
    "demo.predict.needed": {
        "en": "Make your prediction before running the demo.",
        "ko": "데모를 실행하기 전에 예측을 입력하세요.",
    },
    "demo.predict.bad_number": {"en": "Type a number, e.g. -2 or 0.25.", "ko": "숫자를 입력하세요. 예: -2 또는 0.25"},
    "demo.predict.numeric_right": {
        "en": "✓ You predicted {pred}; the demo measured {metric} = {obs} (within ± {tol}).",
        "ko": "✓ 예측 {pred}, 데모 측정값 {metric} = {obs} (허용 오차 ± {tol} 이내).",
    },
    "demo.predict.numeric_wrong": {
        "en": "✗ You predicted {pred}; the demo measured {metric} = {obs} (tolerance ± {tol}).",
        "ko": "✗ 예측 {pred}, 데모 측정값 {metric} = {obs} (허용 오차 ± {tol}).",
    },
    "demo.predict.claim_right": {
        "en": "✓ You predicted “{pred}”, and the claim {verdict}.",
        "ko": "✓ “{pred}”라고 예측했고, 실제로 주장이 {verdict}.",
    },
    "demo.predict.claim_wrong": {
        "en": "✗ You predicted “{pred}”, but the claim {verdict}.",
        "ko": "✗ “{pred}”라고 예측했지만, 주장이 {verdict}.",
    },
    "demo.predict.holds": {"en": "holds", "ko": "성립했습니다"},
    "demo.predict.fails": {"en": "fails", "ko": "성립하지 않았습니다"},
    "demo.predict.missing": {"en": "The run did not report {what}.", "ko": "실행 결과에 {what} 항목이 없습니다."},
    "key.run": {"en": "Run", "ko": "실행"},
    "key.run_field": {"en": "Run", "ko": "실행"},
    "key.help_field": {"en": "Keys", "ko": "단축키"},
    "key.cancel_back": {"en": "Cancel/Back", "ko": "취소/뒤로"},
    "key.next_plot": {"en": "Next plot", "ko": "다음 그래프"},
    # -- stats ----------------------------------------------------------------------------
    "stats.heading": {"en": "Your progress", "ko": "학습 통계"},
    "stats.empty": {
        "en": "No reviews yet. Study a few cards and your progress will show up here: a calendar of your reviews, your retention and what is due next.",
        "ko": "아직 복습 기록이 없습니다. 카드를 몇 장 학습하면 여기에 복습 달력, 기억 유지율, 앞으로의 복습 일정이 나타납니다.",
    },
    "stats.calendar": {"en": "Reviews, last {weeks} weeks", "ko": "최근 {weeks}주 복습"},
    "stats.less": {"en": "less", "ko": "적음"},
    "stats.more": {"en": "more", "ko": "많음"},
    "stats.weekdays": {"en": "Mon,Tue,Wed,Thu,Fri,Sat,Sun", "ko": "월,화,수,목,금,토,일"},
    "stats.months": {
        "en": "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec",
        "ko": "1월,2월,3월,4월,5월,6월,7월,8월,9월,10월,11월,12월",
    },
    "stats.totals": {
        "en": "Card reviews: {total} · from quiz answers: {quiz} · {today} today · {cards} cards studied",
        "en.one": "Card reviews: {total} · from quiz answers: {quiz} · {today} today · {cards} card studied",
        "count": "cards",
        "ko": "카드 복습 {total}번 · 퀴즈 답으로 복습 {quiz}번 · 오늘 {today}번 · 학습한 카드 {cards}장",
    },
    "stats.retention": {
        "en": "True retention ({days} days): {pct} of {n} reviews · all time {all}",
        "en.one": "True retention ({days} days): {pct} of {n} review · all time {all}",
        "ko": "실제 기억 유지율 ({days}일): 복습 {n}번 중 {pct} · 전체 기간 {all}",
    },
    "stats.retention.none": {
        "en": "True retention ({days} days): nothing to measure yet · all time {all}",
        "ko": "실제 기억 유지율 ({days}일): 아직 잴 복습이 없음 · 전체 기간 {all}",
    },
    "stats.due": {
        "en": "Due: {today} today · {d14} in 14 days · {d30} in 30 days",
        "ko": "복습 예정: 오늘 {today}장 · 14일 안에 {d14}장 · 30일 안에 {d30}장",
    },
    "stats.quiz": {
        "en": "Quiz: {correct} of {attempts} right ({pct})",
        "ko": "퀴즈: {attempts}문항 중 {correct}개 정답 ({pct})",
    },
    "stats.per_day": {"en": "Reviews per day (last {days} days)", "ko": "일별 복습 수 (최근 {days}일)"},
    "stats.forecast": {"en": "Due forecast (next {days} days)", "ko": "복습 예정 (앞으로 {days}일)"},
    "stats.packs": {"en": "Mastery by pack", "ko": "팩별 숙련도"},
    "stats.tags": {"en": "Quiz accuracy by tag", "ko": "태그별 퀴즈 정답률"},
    "stats.no_quiz": {"en": "No quiz answers yet.", "ko": "아직 푼 퀴즈가 없습니다."},
    "stats.misconceptions": {"en": "Misconceptions you hit most", "ko": "자주 걸린 오개념"},
    "stats.col.pack": {"en": "Pack", "ko": "팩"},
    "stats.col.cards": {"en": "Cards", "ko": "카드"},
    "stats.col.learned": {"en": "Learned", "ko": "학습함"},
    "stats.col.mastered": {"en": "Mastered", "ko": "숙달"},
    "stats.col.due": {"en": "Due", "ko": "복습 예정"},
    "stats.col.mastery": {"en": "Mastery", "ko": "숙련도"},
    "stats.col.tag": {"en": "Tag", "ko": "태그"},
    "stats.untagged": {"en": "(untagged)", "ko": "(태그 없음)"},
    "stats.col.attempts": {"en": "Answers", "ko": "응답"},
    "stats.col.correct": {"en": "Right", "ko": "정답"},
    "stats.col.accuracy": {"en": "Accuracy", "ko": "정답률"},
    "key.refresh": {"en": "Refresh", "ko": "새로 고침"},
    # -- intervals (format_interval's units) --------------------------------------------------
    "interval.m": {"en": "{n}m", "ko": "{n}분"},
    "interval.h": {"en": "{n}h", "ko": "{n}시간"},
    "interval.d": {"en": "{n}d", "ko": "{n}일"},
    "interval.mo": {"en": "{n}mo", "ko": "{n}개월"},
    "interval.y": {"en": "{n}y", "ko": "{n}년"},
    # -- quiz and the schedule -------------------------------------------------------------
    "quiz.tag_filter": {"en": "Filter the {n} tags…", "en.one": "Filter the {n} tag…", "ko": "태그 {n}개 중 찾기…"},
    "quiz.leave": {
        "en": "Leave the quiz? {done} of {total} answers are saved; the rest are not asked.",
        "ko": "퀴즈를 그만둘까요? {total}문항 중 {done}개의 답은 저장되었고, 나머지는 묻지 않습니다.",
    },
    "quiz.leave_yes": {"en": "Leave", "ko": "그만두기"},
    "quiz.leave_no": {"en": "Keep going", "ko": "계속하기"},
    "quiz.rescheduled": {
        "en": "These answers rescheduled {n} cards (study options: quiz answers count as reviews):",
        "en.one": "These answers rescheduled {n} card (study options: quiz answers count as reviews):",
        "ko": "이번 답으로 카드 {n}장의 복습 일정이 바뀌었습니다 (학습 옵션: 퀴즈 답을 복습으로 계산):",
    },
    "quiz.rescheduled_none.off": {
        "en": "No card was rescheduled: quiz answers do not count as reviews (study options).",
        "ko": "복습 일정이 바뀐 카드는 없습니다. 퀴즈 답은 복습으로 계산하지 않습니다 (학습 옵션).",
    },
    "quiz.rescheduled_none.started": {
        "en": "No card was rescheduled: quiz answers review only cards you have started (study options).",
        "ko": "복습 일정이 바뀐 카드는 없습니다. 이미 학습을 시작한 카드만 퀴즈 답을 복습으로 계산합니다 (학습 옵션).",
    },
    "quiz.rescheduled_none.again": {
        "en": "No card was rescheduled: these cards were rated earlier in this sitting, and a quiz reviews a card once.",
        "ko": "복습 일정이 바뀐 카드는 없습니다. 이번 퀴즈에서 이미 평가한 카드이고, 퀴즈는 카드를 한 번만 복습으로 칩니다.",
    },
    "quiz.unrevealed": {
        "en": "Answered and skipped before their demo ran (their verdicts, kept until now):",
        "ko": "데모를 돌리기 전에 넘어간 문항 (지금 공개하는 판정):",
    },
    "quiz.rescheduled_none.all": {"en": "No card was rescheduled.", "ko": "복습 일정이 바뀐 카드는 없습니다."},
    "quiz.due_in": {"en": "next review in {interval}", "ko": "{interval} 뒤 복습"},
    # -- palette --------------------------------------------------------------------------
    "palette.placeholder": {"en": "Search for commands…", "ko": "명령 찾기…"},
    "palette.no_matches": {"en": "No matches found", "ko": "맞는 명령이 없습니다"},
    "palette.themes": {"en": "Search for themes…", "ko": "테마 찾기…"},
    "cmd.library": {"en": "Go to the library", "ko": "내 학습 팩으로 이동"},
    "cmd.study": {"en": "Study {pack}", "ko": "{pack} 학습"},
    "cmd.quiz": {"en": "Quiz on {pack}", "ko": "{pack} 퀴즈"},
    "cmd.stats": {"en": "Show statistics", "ko": "통계 보기"},
    "cmd.demo": {"en": "Run demo: {demo}", "ko": "데모 실행: {demo}"},
    "cmd.lang": {"en": "Switch language (English/한국어)", "ko": "언어 전환 (English/한국어)"},
    "cmd.search": {"en": "Search cards", "ko": "카드 검색"},
    # Textual's own palette entries (App.get_system_commands), by their English title
    "sys.theme": {"en": "Theme", "ko": "테마"},
    "sys.theme.help.show": {"en": "Change the current theme", "ko": "화면 테마를 바꿉니다"},
    "sys.quit": {"en": "Quit", "ko": "종료"},
    "sys.quit.help.show": {"en": "Quit the application as soon as possible", "ko": "앱을 바로 종료합니다"},
    "sys.keys": {"en": "Keys", "ko": "단축키"},
    "sys.keys.help.show": {
        "en": "Show help for the focused widget and a summary of available keys",
        "ko": "선택된 위젯의 도움말과 쓸 수 있는 단축키를 보여 줍니다",
    },
    "sys.keys.help.hide": {"en": "Hide the keys and widget help panel", "ko": "단축키와 위젯 도움말 패널을 숨깁니다"},
    "sys.maximize": {"en": "Maximize", "ko": "최대화"},
    "sys.maximize.help.show": {"en": "Maximize the focused widget", "ko": "선택된 위젯을 화면 가득 키웁니다"},
    "sys.minimize": {"en": "Minimize", "ko": "원래 크기로"},
    "sys.minimize.help.show": {
        "en": "Minimize the widget and restore to normal size",
        "ko": "위젯을 원래 크기로 되돌립니다",
    },
    "sys.screenshot": {"en": "Screenshot", "ko": "스크린숏"},
    "sys.screenshot.help.show": {
        "en": "Save an SVG 'screenshot' of the current screen",
        "ko": "현재 화면을 SVG 스크린숏으로 저장합니다",
    },
}


def math_text(code: str, values: dict | None, english: str, lang: str) -> str:
    """A formula's problem (MathError, or an expr verdict) in `lang`: by its code, else as the grader wrote it."""
    values = dict(values or {})
    if code == "unknown_name" and not values.get("known"):
        code = "unknown_name.none"
    if code == "unreadable":  # Python's own words ("'(' was never closed") after the English lead only
        values["detail"] = english.split(": ", 1)[1] if ": " in english else english
    key = f"math.{code}"
    if not code or key not in CATALOGUE:
        return english
    try:
        return tr(key, lang, **values)
    except (KeyError, IndexError, ValueError):  # values from an older worker: its own words
        return english


def tr(key: str, lang: str, /, **kw: object) -> str:
    """The text for `key` in `lang` (English if missing), formatted with `kw`."""
    entry = CATALOGUE.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    if kw.get(entry.get("count", "n")) == 1 and f"{lang}.one" in entry:
        text = entry[f"{lang}.one"]
    return text.format(**kw) if kw else text


def interval_label(label: str, lang: str) -> str:
    """An interval label from format_interval ("10m", "3h", "4d", "2.5mo", "1.2y") in `lang`."""
    for unit in ("mo", "m", "h", "d", "y"):
        if label.endswith(unit) and label[: -len(unit)].replace(".", "", 1).isdigit():
            return tr(f"interval.{unit}", lang, n=label[: -len(unit)])
    return label

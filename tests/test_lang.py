"""Per-language text: the learner's language, else English, else whatever the text has."""

from studyml.lang import pick


def test_pick_falls_back_to_english_then_to_any_language():
    assert pick({"en": "Hello", "ko": "안녕하세요"}, "ko") == "안녕하세요"
    assert pick({"en": "Hello", "ko": ""}, "ko") == "Hello"
    assert pick({"ko": "안녕하세요"}, "en") == "안녕하세요"
    assert pick("plain", "ko") == "plain" and pick(None, "en") == "" and pick({}, "en") == ""

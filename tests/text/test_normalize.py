"""The one offset map: normalised (and squeezed) text back to the original."""

from conflict_text.normalize import fold, fold_char_table, normalize


def test_folding_deletes_marks_and_the_map_finds_the_original_span():
    body = "قُتِلَ خمسةُ مدنيين"
    nt = normalize(body)
    start = nt.text.index("مدنيين")
    a, b = nt.to_original(start, start + len("مدنيين"))
    assert body[a:b] == "مدنيين"


def test_squeezed_spaces_and_hashtag_joiners_map_back_over_deleted_marks():
    body = "وصل  \u00a0 فريقُ\t#الدفاع_المدني   إلى  الموقع"
    nt = normalize(body, "\t\u00a0_")
    assert nt.text == "وصل فريق #الدفاع المدني الي الموقع"
    for word in ("فريق", "الموقع", "الدفاع المدني"):
        start = nt.text.index(word)
        a, b = nt.to_original(start, start + len(word))
        assert normalize(body[a:b], "\t\u00a0_").text == word, word
    assert body[nt.original(nt.text.index("الموقع"))] == "ا"


def test_without_spaces_given_nothing_is_squeezed():
    assert normalize("قتل  5\tمدنيين").text == "قتل  5\tمدنيين"


def test_a_long_text_folds_as_its_characters_do_one_by_one():
    # fold() takes another road above a length (a chain of replace calls instead of str.translate): a text
    # holding every folded character, hamza forms, marks, digits and capitals among letters, folds alike.
    folded_chars = "".join(chr(code) for code in fold_char_table())
    text = "قُتِلَ أحمدُ في إدلب ٣ مرات، Aleppo " + folded_chars + " عامٌ ۱٤ ـــ ذكرى"
    assert len(text) > 100
    assert fold(text) == "".join(fold(ch) for ch in text)
    assert fold(text * 3) == fold(text) * 3

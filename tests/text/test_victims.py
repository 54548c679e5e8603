"""Named victims in our own sentences: lists after a marker, titled names, sex and age where stated."""

from conflict_text.sentences import split_sentences
from conflict_text.victims import FigureSentence, find_victims


def victims(body: str, figure_sentences: list[int]):
    sentences = split_sentences(body)
    figures = [FigureSentence(*sentences[i]) for i in figure_sentences]
    return [(v.name, v.sex, v.age, v.age_class, v.figure_index) for v in find_victims(body, figures)]


def test_a_list_after_the_toll_names_each_victim():
    body = "قتل 3 مدنيين بقصف على البلدة. وهم: أحمد العلي (35 عاما)، والطفلة سارة العلي، ومحمود الحسن."
    assert victims(body, [0]) == [
        ("أحمد العلي", None, 35, "adult", 0),
        ("سارة العلي", "female", None, "child", 0),
        ("محمود الحسن", None, None, None, 0),
    ]


def test_a_list_after_a_toll_merged_into_the_headline_names_the_headlines_victims():
    # The body's toll restates the headline's and was merged into it: its sentence holds no figure.
    body = "قصف يقتل ثلاثة مدنيين\n\nقتل ثلاثة مدنيين بقصف على البلدة. وهم: أحمد العلي، ومحمود الحسن."
    assert victims(body, [0]) == [("أحمد العلي", None, None, None, 0), ("محمود الحسن", None, None, None, 0)]
    # A titled name away from any toll is no victim: only lists reach back.
    assert victims("قصف يقتل ثلاثة مدنيين\n\nتوقفت المدارس. وزار الطفل عمر الخطيب أقاربه.", [0]) == []


def test_a_titled_name_in_the_sentence_of_its_toll():
    body = "قتل مدنيان بينهم الطفل عمر الخطيب (7 سنوات) جراء غارة على الحي، وأصيب المسن خالد الأحمد بجروح."
    assert victims(body, [0]) == [("عمر الخطيب", "male", 7, "child", 0), ("خالد الأحمد", "male", None, "elderly", 0)]


def test_no_figure_no_victims_and_a_lone_word_is_no_name():
    assert victims("زار الطفل عمر الخطيب المدرسة.", []) == []
    assert victims("قتل 2 بقصف وأصيب الطفل بجروح.", [0]) == []

from hypothesis import given, strategies as st

from classifier.normalise import NormalisedText


def test_traditional_phrase_maps_back_to_the_original_words():
    text = "我們提供網際網路資料中心服務"
    norm = NormalisedText(text)
    assert "互联网数据中心" in norm.text
    start = norm.text.index("互联网数据中心")
    a, b = norm.span(start, start + len("互联网数据中心"))
    assert text[a:b] == "網際網路資料中心"


def test_width_and_case_are_folded():
    assert NormalisedText("ＣＤＮ加速，IDC").text == "cdn加速,idc"


def test_original_char_keeps_the_chinese_comma():
    norm = NormalisedText("甲，乙")
    assert norm.text[1] == "," and norm.original_char(1) == "，"


@given(st.text(max_size=80))
def test_every_span_lies_inside_the_original(text):
    norm = NormalisedText(text)
    for start in range(len(norm.text)):
        for end in (start + 1, len(norm.text)):
            a, b = norm.span(start, end)
            assert 0 <= a < b <= len(text)


def test_a_character_that_folds_to_two_keeps_later_spans_right():
    text = "面积100㎡，提供IDC服务"  # ㎡ folds to "m2": the text grows by one character
    norm = NormalisedText(text)
    start = norm.text.index("idc")
    a, b = norm.span(start, start + 3)
    assert text[a:b] == "IDC"
    assert norm.positions_of(frozenset("，")) == [norm.text.index(",")]


@given(st.text(max_size=80), st.sets(st.sampled_from(list("，,。；;：（）() ㎡ﬁ")), max_size=4))
def test_break_positions_are_those_whose_original_character_is_a_break(text, breaks):
    # positions_of takes a shortcut when no character changes length; it must agree with the mapping.
    norm = NormalisedText(text)
    expected, seen = [], set()
    for position in range(len(norm.text)):
        source = norm.span(position, position + 1)[0]
        if source not in seen:
            seen.add(source)
            if text[source] in breaks:
                expected.append(position)
    assert norm.positions_of(frozenset(breaks)) == expected

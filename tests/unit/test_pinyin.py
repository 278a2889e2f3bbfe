"""A name's pinyin search keys: initials and full pinyin, lower case, without tones, ü as v."""

import pytest

from sbf_client.modules.employer.domain.pinyin import is_pinyin_query, pinyin_keys


@pytest.mark.parametrize(
    ("name", "initials", "full"),
    [
        ("林婷", "lt", "linting"),
        ("张伟", "zw", "zhangwei"),
        ("欧阳娜娜", "oynn", "ouyangnana"),
        ("王秀英", "wxy", "wangxiuying"),
        # ü is written v, as pinyin input methods type it: 吕 is found by "lv", not "lu".
        ("吕", "l", "lv"),
        ("吕梦", "lm", "lvmeng"),
        ("女娲", "nw", "nvwa"),
        # A surname takes its surname reading.
        ("曾小明", "zxm", "zengxiaoming"),
        ("单雄信", "sxx", "shanxiongxin"),
        ("覃芳", "qf", "qinfang"),
        ("尉迟恭", "ycg", "yuchigong"),
        # …but only as the surname: 曾 inside a given name keeps its common reading.
        ("王曾", "wc", "wangceng"),
        # A Uyghur name written in characters, with the middle dot: the dot is dropped.
        ("阿卜杜拉·艾尼瓦尔", "abdlanwe", "abudulaainiwaer"),
        ("买买提•吐尔逊", "mmttex", "maimaitituerxun"),
        # Latin names: letters kept (lower case, accents folded), a word's first letter is its initial.
        ("Alice Wang", "aw", "alicewang"),
        ("José·Ｍａｒｉａ", "jm", "josemaria"),
        ("李 明", "lm", "liming"),
        ("", "", ""),
    ],
)
def test_pinyin_keys(name, initials, full):
    assert pinyin_keys(name) == (initials, full)


def test_the_same_name_gives_the_same_keys_once_its_characters_are_known():
    first = pinyin_keys("林婷婷")
    assert pinyin_keys("林婷婷") == first == ("ltt", "lintingting")


def test_digits_and_punctuation_are_dropped():
    assert pinyin_keys("张伟2号（临时）") == ("zwhls", "zhangweihaolinshi")


@pytest.mark.parametrize(
    ("text", "expected"), [("lt", True), ("LinTing", True), ("林", False), ("l t", False), ("", False)]
)
def test_what_may_be_pinyin(text, expected):
    assert is_pinyin_query(text) is expected

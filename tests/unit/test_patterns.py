"""Shapes of document facts: responsibility lines in every form the documents use."""
from __future__ import annotations

import pytest

from rag.text.patterns import OWNER, OWNER_LINE, is_owner_line


@pytest.mark.parametrize("line", ["(责任单位:市工业和信息化局)", "(牵头单位:市发展改革委;配合单位:市财政局)",
                                  "牵头部门:市科委", "(责任部门:区政府)", "(市发展改革委牵头)", "(市科委、市财政局负责)"])
def test_every_form_of_a_responsibility_line_is_one(line):
    assert is_owner_line(line) and OWNER.search(line)
    assert OWNER_LINE.fullmatch(line) or not line.startswith("(")  # a bracketed one is set aside when tagging


@pytest.mark.parametrize("sentence", ["加快培育元宇宙龙头企业。", "由企业牵头组建创新联合体,开展技术攻关。",
                                      "各区负责组织实施本方案。"])
def test_a_sentence_that_mentions_leading_is_not_a_responsibility_line(sentence):
    assert not is_owner_line(sentence)


def test_owner_names_are_the_names_inside_the_note():
    from rag.text.patterns import owner_names

    text = "给予补助。(责任单位:市工业和信息化局、市财政局)"
    a, b = owner_names(text)
    assert text[a:b] == "市工业和信息化局、市财政局"
    text = "建设平台。(市发展改革委牵头)"
    a, b = owner_names(text)
    assert text[a:b] == "市发展改革委牵头"
    assert owner_names("没有责任单位的句子。") is None

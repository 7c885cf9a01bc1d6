"""What a build keeps of the live index (rag/indexing/reuse.py) is what a build from nothing would make: kept
support measures and tokens are refused whenever something they depend on changed."""
from __future__ import annotations

from pathlib import Path

from rag.files import file_sha256, write_json, write_jsonl
from rag.indexing.reuse import KeptMeasures, Previous, measures_key
from rag.match.measures import extract_library
from rag.match.terms import Terms
from rag.regions import Jurisdictions
from rag.text.lexicon import Lexicon
from rag.types import Clause, ClauseKind, PlanMeta, Region

CITY = PlanMeta(plan_id="chongqing-2024", file="a.txt", title="重庆市支持办法", region=Region(name="重庆市", level="省级"))
DISTRICT = PlanMeta(plan_id="yongchuan-2023", file="b.txt", title="永川区规划",
                    region=Region(name="永川区", level="县级", parent="重庆市"))


def _live(folder: Path, clauses: list[Clause], plans: dict[str, PlanMeta], terms: Terms) -> Previous:
    """A live index holding just what measure reuse reads."""
    folder.mkdir()
    write_jsonl(folder / "measures.jsonl", (m.to_dict() for m in extract_library(clauses, plans, terms, {})))
    write_json(folder / "plans.json", {k: m.to_dict() for k, m in plans.items()})
    write_json(folder / "twins.json", {})
    manifest = {"measures": measures_key(terms, Jurisdictions(plans.values())),
                "files": {n: {"sha256": file_sha256(folder / n)} for n in ("measures.jsonl", "plans.json", "twins.json")}}
    stored = [c.to_dict() for c in clauses]
    repeated = frozenset(c["chunk_id"] for c in stored if sum(d["chunk_id"] == c["chunk_id"] for d in stored) > 1)
    return Previous(folder, {}, [], manifest, {c["chunk_id"]: c for c in stored}, repeated)


def _rebuilt(previous: Previous, clauses: list[Clause], plans: dict[str, PlanMeta], terms: Terms):
    kept = KeptMeasures(previous, plans, measures_key(terms, Jurisdictions(plans.values())), {}, clauses)
    return extract_library(clauses, plans, terms, {}, kept), kept.count


def test_a_news_paragraph_is_placed_again_when_the_library_gains_a_place_it_names(tmp_path):
    terms = Terms.load()
    news = Clause(plan_id="chongqing-2024", item_path="相关报道", item_title="", kind=ClauseKind.NEWS,
                  text="Yongchuan对新认定的国家级专精特新企业给予一次性奖励50万元。")
    plain = Clause(plan_id="chongqing-2024", item_path="一、", item_title="", kind=ClauseKind.ITEM,
                   text="对新认定的国家级专精特新企业给予一次性奖励50万元。")
    live = _live(tmp_path / "live", [news, plain], {"chongqing-2024": CITY}, terms)
    both = {"chongqing-2024": CITY, "yongchuan-2023": DISTRICT}  # 永川区 joins: `Yongchuan` now names a place
    measures, kept = _rebuilt(live, [news, plain], both, terms)
    assert kept == 1  # the plan clause keeps its measures; the news paragraph is read again
    assert [m.to_dict() for m in measures] == [m.to_dict() for m in extract_library([news, plain], both, terms, {})]
    assert any("永川区" in p["name"] for m in measures for p in m.jurisdiction)


def test_clauses_sharing_a_chunk_id_are_read_again_not_counted_twice(tmp_path):
    terms = Terms.load()
    text = "对新认定的专精特新企业\n给予一次性奖励50万元。"
    twins = [Clause(plan_id="chongqing-2024", item_path="相关报道", item_title="", text=text, kind=ClauseKind.NEWS,
                    order=i) for i in (1, 2)]
    assert twins[0].chunk_id == twins[1].chunk_id
    plans = {"chongqing-2024": CITY}
    live = _live(tmp_path / "live", twins, plans, terms)
    measures, kept = _rebuilt(live, twins, plans, terms)
    assert kept == 0 and len(measures) == len(extract_library(twins, plans, terms, {})) > 0


def test_a_term_moved_between_the_program_dictionary_and_the_coinages_changes_the_checksum():
    coined = Lexicon(["元平台"])
    moved = Lexicon(["元平台"])
    moved.__dict__["_program_terms"] = moved._program_terms | {"元平台"}  # as if policy_terms.txt now held it
    assert moved.terms == coined.terms and moved.checksum != coined.checksum
    assert moved.coinages() == coined.coinages() - {"元平台"}


def test_a_transcript_answer_is_placed_again_when_the_library_gains_a_place_it_names(tmp_path):
    terms = Terms.load()
    answer = Clause(plan_id="chongqing-2024", item_path="问答2", item_title="永川有何举措?", kind=ClauseKind.ITEM,
                    text="某某:Yongchuan对新认定的国家级专精特新企业给予一次性奖励50万元。")
    live = _live(tmp_path / "live", [answer], {"chongqing-2024": CITY}, terms)
    both = {"chongqing-2024": CITY, "yongchuan-2023": DISTRICT}
    measures, kept = _rebuilt(live, [answer], both, terms)
    assert kept == 0
    assert any("永川区" in p["name"] for m in measures for p in m.jurisdiction)

"""A clause word for word the same as a better-ranked one's (the same document added twice, or a page that served
another year's body) is not a second hit: it says nothing new and would take a place another clause needs. A search
of that plan alone still finds it. Built with the fake encoder: nothing here depends on the model."""
from __future__ import annotations

import pytest
from support import PROJECT_ROOT

from rag.search.retriever import HybridRetriever

MORE = PROJECT_ROOT / "tests" / "data" / "corpus-more"


@pytest.fixture(scope="module")
def twice(tmp_path_factory) -> HybridRetriever:
    from conftest import seed_and

    # the 2024 page holds the 2023 document's text (as received); each added under its own id
    return seed_and(tmp_path_factory.mktemp("twice"), [(MORE / f"{pid}.txt", pid) for pid in
                                                       ("china-ruralrevival-2023", "china-ruralrevival-2024")])


def test_the_same_text_in_two_plans_is_one_hit(twice):
    for query in ("粮食生产 耕地保护", "乡村建设 农村人居环境", "种业振兴"):
        hits = twice.retrieve(query, k=8).hits
        texts = [h.text.strip() for h in hits]
        assert len(hits) == 8 and len(set(texts)) == len(texts), query
        assert [h.rank for h in hits] == list(range(1, 9))
        both = twice.retrieve(query, k=8, plans=["china-ruralrevival-2023", "china-ruralrevival-2024"]).hits
        assert len({h.text.strip() for h in both}) == len(both) == 8  # of each text, the better-ranked copy only
        # comparing the two plans, each is compared by its own clauses, copies or not
        each = twice.retrieve(query, k=8, plans=["china-ruralrevival-2023", "china-ruralrevival-2024"], distinct=False).hits
        assert len({h.text.strip() for h in each}) < len(each) and {h.plan_id for h in each} == {
            "china-ruralrevival-2023", "china-ruralrevival-2024"}
        alone = twice.retrieve(query, k=3, plans=["china-ruralrevival-2024"]).hits
        assert [h.plan_id for h in alone] == ["china-ruralrevival-2024"] * 3  # searched alone, it answers

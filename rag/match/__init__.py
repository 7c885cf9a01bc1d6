"""Match: a company profile -> the support measures of every plan, each 适用 / 可能适用 / 不适用-地域 with why.

In: clauses tagged at index time (`tags.py`: measure types, beneficiaries, domains, amounts, jurisdiction,
stored as measures.jsonl in the index), a `Profile` (`profile.py`). Out: `MatchResult` of `Measure`s
(rag/types.py); `report.py` renders it for people and scores gold profiles.
"""

"""Match: a company profile -> every support measure of the library, each 适用 / 需确认 / 不适用 with a verdict per
condition.

In: support measures read at index time (`measures.py`: one per sentence, with recipient, conditions, amount,
responsible unit and jurisdiction as spans; measures.jsonl in the index), a `Profile` (`profile.py`). Out:
`MatchResult` of `Measure`s with `Check`s (rag/types.py); `report.py` renders it as text, Markdown and DOCX and
scores gold profiles.
"""

"""Answer: a question (and the conversation so far) -> an `Answer` made only of cited quotes.

In: the question, `Hit`s from a `Retriever` (rag/search), the library through `CorpusView`.
Out: `Answer` with `Citation`s (rag/types.py) — or `no_answer` with the reason.
`answerer.py` orchestrates: intent -> places -> scope -> retrieval -> quotes/facts -> compose.
"""

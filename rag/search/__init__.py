"""Search: a query -> ranked clauses (`Hit`s).

In: the loaded index (rag/indexing). BM25 and dense rankers rank passages, `fusion` fuses them, passages fold
into their clauses. Out: `Hit`s through the `Retriever` protocol; `CorpusView` is the read-only library the
later stages see.
"""

"""Indexing: the parsed library -> a verified folder of plain files (see `folder.py` for its layout).

In: clauses and plan metadata (rag/ingest). Passages (`passages.py`) are embedded (`embedding.py`, the
offline e5 model materialised by `e5file.py`, run on onnxruntime by `ortmodel.py`) and indexed in FAISS and
BM25 (`bm25.py`); support clauses are read as support measures (rag/match/measures.py). `build.py` writes the
folder atomically; `folder.py` loads and verifies it.
Out: `SearchIndex`.
"""

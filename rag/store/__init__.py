"""Where passages are searched: behind one interface (`Store`), so the answer code never sees which engine
ranks them. `local` (default): the index folder's FAISS and BM25 files; `milvus`: a Milvus collection (Milvus Lite
in a local file, or a Milvus server) holding the same vectors and Milvus's own BM25 on a jieba analyzer."""
from .base import STORES, Ranked, Store, open_store

__all__ = ["STORES", "Ranked", "Store", "open_store"]

"""Ingest: a document as received -> the parsed library.

raw file -> `readers` (format, encoding) -> `clean` (normalise every line, set page furniture aside with
`noise`, rejoin PDF wraps) -> `structure` (zones: 相关报道, 印发通知, title, 前言; the body through `body`,
where every clause's item path is born) -> `metadata` (title, 文号, issuer, date, period) -> `library`
(stored under <home>/library/<plan_id>/, swapped in atomically).

Out: `Clause` and `PlanMeta` (rag/types.py), read back with `Library`.
"""

"""Evaluation: gold questions -> scores and reports.

In: JSONL questions in the contract's evaluation format, an `Answerer`. `gold.py` decides whether a citation
hits the gold; `score.py` scores every question; `report.py` writes report.json/.md and charts;
`ablation.py` reruns the questions with one retriever, another fusion, or no dictionary.
"""

"""Evaluation reports: report.json, report.md and a PNG chart under eval/reports/<timestamp>/.

The chart is drawn with Pillow (already a dependency through Gradio) so no plotting library is needed.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..settings import PROJECT_ROOT

METRICS = ("citation_at_1", "citation_at_3", "mrr", "key_recall", "compare_coverage", "no_answer_precision",
           "no_answer_recall", "no_answer_accuracy", "false_no_answer_rate")


def latest_name(path: Path) -> str:
    """The latest report's folder for a question file: its path under eval/ (`unseen-holdout` for
    eval/unseen/holdout.jsonl, so that it never overwrites eval/holdout.jsonl's), else its name."""
    try:
        return "-".join(path.resolve().relative_to(PROJECT_ROOT / "eval").with_suffix("").parts)
    except ValueError:
        return path.stem


def contract_report(result: dict, source: str) -> dict:
    """The `--json` shape: the issue's top-level keys, then the rest."""
    overall = result["overall"]
    report = {k: overall[k] for k in ("citation_at_1", "citation_at_3", "key_recall", "no_answer_accuracy",
                                      "false_no_answer_rate")}
    report.update({k: overall[k] for k in ("mrr", "compare_coverage", "no_answer_precision", "no_answer_recall",
                                           "quote_chars", "latency_ms", "questions")})
    report["by_type"] = result["by_type"]
    report["by_plan"] = result["by_plan"]
    report["by_group"] = result["by_group"]
    report["source"] = source
    report["created_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return report


def summary_text(report: dict[str, Any], ablation: list[dict[str, Any]] | None) -> str:
    lines = [f"{report['questions']} questions: citation@1 {report['citation_at_1']}, citation@3 "
             f"{report['citation_at_3']}, key recall {report['key_recall']}, no-answer accuracy "
             f"{report['no_answer_accuracy']}, false no-answer rate {report['false_no_answer_rate']}, "
             f"p50 {report['latency_ms']['p50']} ms"]
    lines += [f"  {a['variant']:28} citation@3 {a['citation_at_3']}  key recall {a['key_recall']}"
              for a in ablation or []]
    return "\n".join(lines)


def _fmt(v: object) -> str:
    return "–" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))


def markdown(report: dict, failures: list[dict], ablation: list[dict] | None) -> str:
    lines = [f"# Evaluation of `{report['source']}`", "", f"{report['questions']} questions, "
             f"{report['created_at']}. Latency p50 {report['latency_ms']['p50']} ms, p95 {report['latency_ms']['p95']} ms. "
             f"First quote of an answer: mean {report['quote_chars']['mean']} characters, median "
             f"{report['quote_chars']['p50']}.",
             "", "| metric | value |", "|---|---|"]
    lines += [f"| {m} | {_fmt(report.get(m))} |" for m in METRICS]
    for title, key in (("By document group", "by_group"), ("By type", "by_type"), ("By plan", "by_plan")):
        lines += ["", f"## {title}", "", "| | n | citation@1 | citation@3 | key recall | no-answer acc. |",
                  "|---|---|---|---|---|---|"]
        for name, s in report[key].items():
            lines.append(f"| {name} | {s['questions']} | {_fmt(s['citation_at_1'])} | {_fmt(s['citation_at_3'])} | "
                         f"{_fmt(s['key_recall'])} | {_fmt(s['no_answer_accuracy'])} |")
    if ablation:
        lines += ["", "## Ablations", "", "| variant | citation@3 | key recall | no-answer acc. |", "|---|---|---|---|"]
        lines += [f"| {a['variant']} | {_fmt(a['citation_at_3'])} | {_fmt(a['key_recall'])} | "
                  f"{_fmt(a['no_answer_accuracy'])} |" for a in ablation]
    lines += ["", f"## Failures ({len(failures)})", ""]
    lines += [f"- `{f['id']}` ({f['type']}) {f['question']} — {f['why']}; cited: {', '.join(f['cited']) or 'nothing'}"
              for f in failures]
    return "\n".join(lines) + "\n"


def failures(rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        why = []
        if r["expect_no_answer"] != r["no_answer"]:
            why.append("refused" if r["no_answer"] else "answered an out-of-scope question")
        elif not r["expect_no_answer"]:
            if r["first_gold"] is None or r["first_gold"] > 3:
                why.append("no gold citation in the top 3")
            if r["keys_found"] < r["keys_total"]:
                why.append(f"{r['keys_found']}/{r['keys_total']} key facts")
            if r["compare_ok"] is False:
                why.append("too few plans compared")
        if why:
            out.append({**r, "why": ", ".join(why)})
    return out


def chart(path: Path, groups: list[tuple[str, dict[str, float | None]]], title: str) -> None:
    """Grouped bars: one group per label, one bar per metric (values in 0..1)."""
    from PIL import Image, ImageDraw, ImageFont

    metrics = list(groups[0][1]) if groups else []
    colours = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6"]
    width, height, left, bottom, top = max(640, 150 * len(groups) + 120), 420, 60, 90, 50
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default()
    draw.text((left, 15), title, fill="black", font=font)
    plot_h = height - bottom - top
    for i in range(6):
        y = top + plot_h - plot_h * i / 5
        draw.line([(left, y), (width - 20, y)], fill="#e5e7eb")
        draw.text((10, y - 6), f"{i / 5:.1f}", fill="black", font=font)
    group_w = (width - left - 20) / max(1, len(groups))
    bar_w = group_w * 0.8 / max(1, len(metrics))
    for g, (label, values) in enumerate(groups):
        x0 = left + g * group_w + group_w * 0.1
        for m, metric in enumerate(metrics):
            v = values.get(metric) or 0.0
            x = x0 + m * bar_w
            draw.rectangle([x, top + plot_h * (1 - v), x + bar_w - 2, top + plot_h], fill=colours[m % len(colours)])
        draw.text((x0, top + plot_h + 8), label[:22], fill="black", font=font)
    for m, metric in enumerate(metrics):
        x = left + m * 160
        draw.rectangle([x, height - 30, x + 12, height - 18], fill=colours[m % len(colours)])
        draw.text((x + 18, height - 31), metric, fill="black", font=font)
    img.save(path)


def write(folder: Path, report: dict, rows: list[dict], ablation: list[dict] | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    fails = failures(rows)
    full = {**report, "ablation": ablation, "rows": rows}
    (folder / "report.json").write_text(json.dumps(full, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (folder / "report.md").write_text(markdown(report, fails, ablation), encoding="utf-8")
    groups = [(t, {"citation@3": s["citation_at_3"], "key recall": s["key_recall"],
                   "no-answer acc.": s["no_answer_accuracy"]}) for t, s in report["by_type"].items()]
    chart(folder / "chart.png", groups, f"{report['source']}: by question type")
    if ablation:
        chart(folder / "ablation.png", [(a["variant"], {"citation@3": a["citation_at_3"], "key recall": a["key_recall"]})
                                        for a in ablation], "Ablations: citation@3 and key recall")

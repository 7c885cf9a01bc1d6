"""`policyqa match` and `policyqa measures`: the matching commands of the CLI (rag/cli.py)."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..console import print_json, progress
from ..errors import BadInputError
from ..limits import read_batch
from ..settings import Settings


def _match_settings(args: argparse.Namespace, settings: Settings) -> Settings:
    return settings.for_corpus(Path(args.corpus)) if getattr(args, "corpus", None) else settings


def cmd_match(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import date

    from .matcher import open_matcher
    from .profile import Profile
    from .report import render_docx, render_markdown, render_text, score_profiles, score_text

    settings = _match_settings(args, settings)
    if args.score:
        rows = read_batch(args.score, key="profile")
        if args.split:
            rows = [r for r in rows if r.get("split") == args.split]
        matcher = open_matcher(settings, build=bool(args.corpus), progress=progress)
        scores = score_profiles(matcher, rows)
        print_json(scores) if args.json else print(score_text(scores))
        return 0
    try:
        on = date.fromisoformat(args.on) if args.on else date.today()
    except ValueError:
        raise BadInputError(f"--on: a date as YYYY-MM-DD, got {args.on!r}") from None
    # bad input fails before anything loads
    profile = Profile.parse(args.region, args.industry, args.size, args.stage, args.qualification,
                            args.not_qualification, args.founded)
    result = open_matcher(settings, build=bool(args.corpus), progress=progress).match(profile, on=on)
    if args.markdown:
        Path(args.markdown).write_text(render_markdown(result), encoding="utf-8")
    if args.docx:
        Path(args.docx).write_bytes(render_docx(result))
    print_json(result.to_dict()) if args.json else print(render_text(result, show_all=args.all))
    return 0


def cmd_measures(args: argparse.Namespace, settings: Settings) -> int:
    from ..indexing.folder import open_index
    from ..search.corpus import CorpusView

    settings = _match_settings(args, settings)
    if args.corpus:
        from ..indexing.build import build_index
        from ..indexing.embedding import Embedder

        build_index(settings, Embedder.from_settings(settings, progress), progress)
    corpus = CorpusView(open_index(settings))
    corpus.check_plans([args.plan_id])
    found = [m for m in corpus.measures if m.plan_id == args.plan_id]
    if args.json:
        print_json([m.to_dict() for m in found])
        return 0
    for m in found:
        money = "资金 " if m.money else ""
        print(f"{m.item_path}  [{money}{'、'.join(dict.fromkeys(t.label for t in m.types))}]  {m.sentence}")
        if m.recipient:
            print(f"    对象: {m.recipient.text}")
        for c in m.conditions:
            print(f"    条件({c.kind}): {c.text}")
        if m.amount:
            cap = f"  (上限 {m.cap})" if m.cap else ""
            rate = f"  (比例 {m.rate})" if m.rate else ""
            print(f"    金额: {m.amount.text}{cap}{rate}")
        if m.unit:
            print(f"    责任单位: {m.unit.text}")
    print(f"{len(found)} measures in {args.plan_id}")
    return 0


def add_match_commands(sub: Any) -> None:
    p = sub.add_parser("match", help="support measures for a company profile, each 适用 / 需确认 / 不适用 with a "
                       "verdict per condition")
    p.add_argument("--region", help="where the company is (e.g. 杭州市, 历下区, 永川)")
    p.add_argument("--industry", default="", help="what it does, in words (e.g. VR头显, 服务器整机研发制造)")
    p.add_argument("--size", default="", help="大型 | 中型 | 小型 | 微型 (blank: unknown)")
    p.add_argument("--stage", default="", help="初创 | 成长 | 成熟 (blank: unknown)")
    p.add_argument("--qualification", action="append", default=[], metavar="Q",
                   help="a qualification it holds (repeat, or comma-separated): 高新技术企业, 专精特新中小企业 …")
    p.add_argument("--not-qualification", action="append", default=[], metavar="Q",
                   help="a qualification it does not hold (repeat); unlisted ones are unknown")
    p.add_argument("--founded", help="founding year, e.g. 2019")
    p.add_argument("--on", metavar="DATE", help="judge validity as of this date (YYYY-MM-DD; default today)")
    p.add_argument("--json", action="store_true", help="print the result object as JSON")
    p.add_argument("--all", action="store_true", help="also list the 不适用 measures with their reasons")
    p.add_argument("--markdown", metavar="FILE", help="also write the result as Markdown")
    p.add_argument("--docx", metavar="FILE", help="also write the result as a Word document")
    p.add_argument("--corpus", metavar="DIR", help="match against the library in DIR (its index built or updated)")
    p.add_argument("--score", metavar="FILE", help="score against gold profiles (eval/profiles.jsonl)")
    p.add_argument("--split", help="with --score: only rows of this split (dev, holdout)")
    p.set_defaults(func=cmd_match)

    p = sub.add_parser("measures", help="a plan's support measures as data (recipient, conditions, amount, unit)")
    p.add_argument("plan_id", metavar="PLAN_ID")
    p.add_argument("--json", action="store_true", help="print the measures as JSON")
    p.add_argument("--corpus", metavar="DIR", help="the library in DIR (its index built or updated)")
    p.set_defaults(func=cmd_measures)

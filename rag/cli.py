"""The `policyqa` command line. Thin: parses arguments, calls the library, renders, maps errors to exit codes.

Heavy libraries are imported inside the commands, so `policyqa --help` is instant.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from .errors import PolicyQAError
from .settings import Settings


def _print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from .errors import BadInputError, IngestError
    from .library import Library

    library = Library(settings)
    failures = 0
    if not args.paths:
        results, errors = library.ingest_corpus()
    else:
        if args.plan_id and len(args.paths) > 1:
            raise BadInputError("--plan-id names one plan: give it with a single PATH")
        results, errors = [], []
        for path in args.paths:
            try:
                results.append(library.ingest_path(Path(path), plan_id=args.plan_id, region=args.region))
            except IngestError as exc:
                errors.append(exc)
    for result in results:
        print(result.summary())
        for warning in result.doc.warnings:
            print(f"  warning: {warning}")
    for exc in errors:
        failures += 1
        print(f"error: {exc}", file=sys.stderr)
    if failures:
        print(f"{failures} of {failures + len(results)} documents failed; the library keeps what it had for them",
              file=sys.stderr)
    return 1 if failures else 0


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    from .library import Library
    from .render import clause_block, outline

    library = Library(settings)
    library.ensure_built()
    if not args.plan_id:
        plans = [library.meta(pid) for pid in library.plan_ids()]
        if args.json:
            _print_json([m.to_dict() for m in plans])
        else:
            for meta in plans:
                print(f"{meta.plan_id:16} {meta.title or '(title not stated)'}")
        return 0
    if args.dropped:
        rows = library.dropped(args.plan_id)
        if args.json:
            _print_json([{"line": d.line_no, "text": d.text, "reason": d.reason} for d in rows])
        else:
            for d in rows:
                print(f"{d.line_no:5}  [{d.reason}]  {d.text}")
        return 0
    clauses = library.clauses(args.plan_id, args.item_path)
    if args.json:
        _print_json([c.to_dict() for c in clauses])
    elif args.item_path:
        print("\n\n".join(clause_block(c) for c in clauses))
    else:
        print(outline(library.meta(args.plan_id), clauses))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policyqa", description="Cited answers from Chinese industrial policy plans.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="parse the corpus, or add documents (.txt .md .html .pdf .docx)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="documents to add; none = re-parse the whole corpus")
    p.add_argument("--plan-id", help="id for the new plan (<region-in-pinyin>-<first year>); derived from the title if omitted")
    p.add_argument("--region", help="the jurisdiction the plan covers, if the title does not start with it")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("show", help="a plan's outline, or one item's clauses, to check the parser")
    p.add_argument("plan_id", nargs="?", metavar="PLAN_ID", help="omit to list the plans")
    p.add_argument("item_path", nargs="?", metavar="ITEM_PATH", help="e.g. 二、(一)3.(1); clauses at or under it")
    p.add_argument("--json", action="store_true", help="print the clauses as JSON (one object per clause)")
    p.add_argument("--dropped", action="store_true", help="list the lines dropped as page noise, with reasons")
    p.set_defaults(func=cmd_show)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    try:
        return args.func(args, settings)
    except PolicyQAError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

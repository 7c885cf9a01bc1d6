"""The `policyqa` command line. Thin: parses arguments, calls the library, renders, maps errors to exit codes.

Heavy libraries are imported inside the commands, so `policyqa --help` is instant.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Sequence

from .console import print_json, progress
from .errors import BadInputError, PolicyQAError
from .limits import DEFAULT_TOP_K, MAX_TOP_K, MIN_TOP_K, analysed_part, check_question, read_batch
from .match.commands import add_match_commands
from .settings import MODES, STORES, Settings
from .staff.commands import add_staff_commands
from .store.commands import add_store_commands
from .writer import one_writer


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from .ingest.library import Library

    library = Library(settings, progress)
    with one_writer(settings.home, "policyqa ingest", settings.wait_for_writer, progress):
        if not args.paths:
            results, errors = library.ingest_corpus()
        else:
            results, errors = library.ingest_paths([Path(p) for p in args.paths], args.plan_id, args.region)
    for result in results:
        print(result.summary())
        for warning in result.doc.warnings:
            print(f"  warning: {warning}")
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    if len(results) + len(errors) > 1:
        print(f"{len(results)} of {len(results) + len(errors)} documents ingested")
    if errors:
        print(f"{len(errors)} of {len(errors) + len(results)} documents failed; the library keeps what it had for "
              "them", file=sys.stderr)
    return 1 if errors else 0


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    from .ingest.library import Library
    from .render import clause_block, dropped_text, outline, plans_text

    library = Library(settings)
    library.ensure_built()
    if not args.plan_id:
        plans = [library.meta(pid) for pid in library.plan_ids()]
        print_json([m.to_dict() for m in plans]) if args.json else print(plans_text(plans))
        return 0
    if args.dropped:
        rows = library.dropped(args.plan_id)
        print_json([d.to_dict() for d in rows]) if args.json else print(dropped_text(rows))
        return 0
    clauses = library.clauses(args.plan_id, args.item_path)
    if args.json:
        print_json([c.to_dict() for c in clauses])
    elif args.item_path:
        print("\n\n".join(clause_block(c) for c in clauses))
    else:
        print(outline(library.meta(args.plan_id), clauses))
    return 0


def _top_k(value: str) -> int:
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not MIN_TOP_K <= k <= MAX_TOP_K:
        raise argparse.ArgumentTypeError(f"must be between {MIN_TOP_K} and {MAX_TOP_K}")
    return k


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from .assemble import index_and_calibrate
    from .indexing.embedding import Embedder

    with one_writer(settings.home, "policyqa index", settings.wait_for_writer, progress):  # before the model loads
        manifest = index_and_calibrate(settings, Embedder.from_settings(settings, progress), progress, args.full)
    counts, build = manifest["counts"], manifest["build"]
    print(f"index ready at {settings.index_dir}: {counts['plans']} plans, {counts['clauses']} clauses, "
          f"{counts['passages']} passages ({build['embedded']} embedded, {build['reused']} reused) "
          f"in {build['seconds']} s; dense index {manifest['dense']['kind']}"
          + (f"; Milvus at {settings.milvus_target}" if settings.store == "milvus" else ""))
    return 0


def _input_rows(single: str | None, batch: str | None, name: str) -> list[dict[str, Any]]:
    """`ask`/`search` take one text or a batch file, not both, not neither."""
    if (single is None) == (batch is None):
        raise BadInputError(f"give either a {name} or --batch FILE")
    if batch is not None:
        return read_batch(batch)
    return [{"id": None, "question": check_question(single)}]


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from .render import hits_text
    from .search.retriever import open_retriever

    rows = _input_rows(args.query, args.batch, "QUERY")
    retriever = open_retriever(settings, progress, args.plan or ())
    for row in rows:
        hits = retriever.search(row["question"], k=args.top_k, plans=args.plan or None, mode=args.mode)
        result = {"id": row.get("id"), "query": analysed_part(row["question"]), "hits": [h.to_dict() for h in hits]}
        if args.json:
            print(json.dumps(result, ensure_ascii=False), flush=True)
        else:
            print(hits_text(result))
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from .assemble import open_answerer
    from .render import answer_text

    rows = _input_rows(args.question, args.batch, "QUESTION")
    answerer = open_answerer(settings, progress, args.plan or ())
    for row in rows:
        result = answerer.answer(row["question"], top_k=args.top_k, plans=args.plan or None, qid=row.get("id"))
        if args.json:
            print(json.dumps(result.to_dict(), ensure_ascii=False), flush=True)
        else:
            print(answer_text(result.to_dict()) + ("\n" if len(rows) > 1 else ""), flush=True)
    return 0


def cmd_calibrate(args: argparse.Namespace, settings: Settings) -> int:
    from .answer.answerer import Answerer
    from .answer.calibrate import check_tuning_file, fit, write
    from .assemble import shown_path
    from .search.corpus import CorpusView
    from .search.retriever import open_retriever

    check_tuning_file(Path(args.file))
    questions = read_batch(args.file)
    retriever = open_retriever(settings, progress)
    answerer = Answerer(retriever, CorpusView(retriever.index), None)
    with one_writer(settings.home, "policyqa calibrate", settings.wait_for_writer, progress):
        calibration = fit(answerer, questions, shown_path(Path(args.file).resolve()))  # found again from any folder
        write(calibration, settings.calibration)
    print(json.dumps(calibration, ensure_ascii=False, indent=2))
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Build what is missing (library, model, index), then serve the chat and the API on one process."""
    from .serving import serve

    serve(settings, args.host, args.port)
    return 0


def _query_arguments(p: argparse.ArgumentParser, dest: str, metavar: str, what: str) -> None:
    """The arguments `ask` and `search` share (the contract's: --batch, --json, --top-k, --plan)."""
    p.add_argument(dest, nargs="?", metavar=metavar)
    p.add_argument("--batch", metavar="FILE", help='JSONL, one {"id": ..., "question": ...} per line')
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--top-k", type=_top_k, default=DEFAULT_TOP_K, metavar="N",
                   help=f"{what} wanted ({MIN_TOP_K}-{MAX_TOP_K}, default {DEFAULT_TOP_K})")
    p.add_argument("--plan", action="append", metavar="PLAN_ID", help="restrict to this plan (repeatable)")


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import datetime

    from .assemble import open_answerer, open_for_corpus
    from .evaluation.ablation import ablations
    from .evaluation.report import contract_report, latest_name, summary_text, write
    from .evaluation.score import score

    path = Path(args.file)
    questions = read_batch(str(path))
    if args.feedback:  # every 👎 that says what was right is measured until it is fixed
        from .staff.db import Database
        from .staff.records import feedback_cases

        questions += feedback_cases(Database.open(settings))
    if args.corpus:
        settings = settings.for_corpus(Path(args.corpus))
    answerer = open_for_corpus(settings, progress) if args.corpus else open_answerer(settings, progress)
    result = score(answerer, questions)
    report = contract_report(result, str(args.file))
    ablation = ablations(settings, answerer, questions) if args.ablate else None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = Path(args.out) / stamp
    write(folder, report, result["rows"], ablation)
    latest = Path(args.out) / "latest" / latest_name(path)
    write(latest, report, result["rows"], ablation)
    if args.json:
        print(json.dumps({**report, **({"ablation": ablation} if ablation else {})}, ensure_ascii=False, indent=2))
    else:
        print(summary_text(report, ablation))
        print(f"report: {folder}/report.md (also {latest})")
    return 0


def _no_wait(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-wait", action="store_true",
                   help="when another ingest/index/calibrate is writing the data directory, stop (exit 1) naming it "
                        "instead of waiting for it")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policyqa", description="Cited answers from Chinese industrial policy plans.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="parse the corpus, or add documents (.txt .md .html .pdf .docx)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="documents to add; none = re-parse the whole corpus")
    p.add_argument("--plan-id", help="id for the new plan (<region-in-pinyin>-<first year>); derived from the title if omitted")
    p.add_argument("--region", help="the jurisdiction the plan covers, if the title does not start with it")
    _no_wait(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("show", help="a plan's outline, or one item's clauses, to check the parser")
    p.add_argument("plan_id", nargs="?", metavar="PLAN_ID", help="omit to list the plans")
    p.add_argument("item_path", nargs="?", metavar="ITEM_PATH", help="e.g. 二、(一)3.(1); clauses at or under it")
    p.add_argument("--json", action="store_true", help="print the clauses as JSON (one object per clause)")
    p.add_argument("--dropped", action="store_true", help="list the lines dropped as page noise, with reasons")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("index", help="build or update the search index (parses the corpus first)")
    p.add_argument("--full", action="store_true",
                   help="build from nothing: parse, embed, tokenize and index every document again instead of reusing "
                   "what is unchanged")
    p.add_argument("--store", choices=STORES, help="also fill this store (milvus: POLICYQA_MILVUS_URI); default "
                   "POLICYQA_STORE or local")
    _no_wait(p)
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("search", help="ranked clauses for a query, with their BM25 and dense ranks")
    _query_arguments(p, "query", "QUERY", "clauses")
    p.add_argument("--mode", choices=MODES, help="default: POLICYQA_MODE or hybrid")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="an answer made of cited quotes (contract result object with --json)")
    _query_arguments(p, "question", "QUESTION", "citations")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("serve", help="serve the HTTP API (builds a missing index first)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("eval", help="score answers on a gold question file; writes report.json/.md and charts")
    p.add_argument("file", nargs="?", default="eval/questions.jsonl", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--ablate", action="store_true", help="also BM25 only, dense only, RRF, weighted, no dictionary")
    p.add_argument("--out", default=str(Path("eval") / "reports"), metavar="DIR", help="reports folder")
    p.add_argument("--corpus", metavar="DIR", help="evaluate against the library in DIR (manifests + documents; "
                   "its index is built or updated under the data directory)")
    p.set_defaults(func=cmd_eval)

    p.add_argument("--feedback", action="store_true", help="also score the staff feedback cases (group feedback)")
    add_match_commands(sub)
    add_store_commands(sub)
    add_staff_commands(sub)

    p = sub.add_parser("calibrate", help="fit the out-of-scope thresholds on evaluation questions")
    p.add_argument("file", nargs="?", default="eval/questions.jsonl", metavar="FILE")
    _no_wait(p)
    p.set_defaults(func=cmd_calibrate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        if getattr(args, "no_wait", False):
            settings = settings.with_(wait_for_writer=False)
        if getattr(args, "store", None):
            settings = settings.with_(store=args.store)
        return args.func(args, settings)
    except PolicyQAError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


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


MAX_QUERY_CHARS = 2000
MAX_TOP_K = 20


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _top_k(value: str) -> int:
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not 1 <= k <= MAX_TOP_K:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_TOP_K}")
    return k


def check_query(text: str) -> str:
    from .errors import BadInputError

    if not text or not text.strip():
        raise BadInputError("the question is empty")
    if len(text) > MAX_QUERY_CHARS:
        raise BadInputError(f"the question has {len(text)} characters; at most {MAX_QUERY_CHARS} are accepted")
    return text


def read_batch(path: str, key: str = "question") -> list[dict]:
    """JSONL with one {"id": ..., "question": ...} per line (other fields ignored); `key` names the field that
    must be there (`profile` for profile files)."""
    from .errors import BadInputError

    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"cannot read batch file {path}: {exc}") from exc
    rows = []
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise BadInputError(f"{path}:{no}: not a JSON object ({exc})") from exc
        if key == "question":
            if not isinstance(row, dict) or not isinstance(row.get("question"), str):
                raise BadInputError(f"{path}:{no}: expected {{\"id\": ..., \"question\": \"...\"}}")
            check_query(row["question"])
        elif not isinstance(row, dict) or not isinstance(row.get(key), dict):
            raise BadInputError(f"{path}:{no}: expected {{\"id\": ..., \"{key}\": {{...}}}}")
        rows.append(row)
    return rows


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from .embedding import Embedder
    from .index import build_index

    manifest = build_index(settings, Embedder.from_settings(settings, _progress), _progress, full=args.full)
    counts, build = manifest["counts"], manifest["build"]
    print(f"index ready at {settings.index_dir}: {counts['plans']} plans, {counts['clauses']} clauses, "
          f"{counts['passages']} passages ({build['embedded']} embedded, {build['reused']} reused) "
          f"in {build['seconds']} s; dense index {manifest['dense']['kind']}")
    return 0


def _hits_text(result: dict) -> str:
    lines = []
    for h in result["hits"]:
        ranks = f"bm25 #{h['lexical_rank'] or '-'}, dense #{h['dense_rank'] or '-'}"
        lines.append(f"{h['rank']}. [{h['plan_id']}] {h['item_path']} {h['item_title']}  ({h['score']:.4f}; {ranks})")
        text = h["text"].replace("\n", " ")
        lines.append(f"   {text[:160]}{'…' if len(text) > 160 else ''}")
    return "\n".join(lines) if lines else "(no clause matched)"


def _input_rows(single: str | None, batch: str | None, name: str) -> list[dict]:
    """`ask`/`search` take one text or a batch file, not both, not neither."""
    from .errors import BadInputError

    if (single is None) == (batch is None):
        raise BadInputError(f"give either a {name} or --batch FILE")
    return read_batch(batch) if batch else [{"id": None, "question": check_query(single)}]


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from .retriever import open_retriever

    rows = _input_rows(args.query, args.batch, "QUERY")
    retriever = open_retriever(settings, _progress, args.plan or ())
    for row in rows:
        hits = retriever.search(row["question"], k=args.top_k, plans=args.plan or None, mode=args.mode)
        result = {"id": row.get("id"), "query": row["question"], "hits": [h.to_dict() for h in hits]}
        if args.json:
            print(json.dumps(result, ensure_ascii=False), flush=True)
        else:
            print(_hits_text(result))
    return 0


def _answer_text(result: dict) -> str:
    lines = [result["answer"]]
    if result["citations"]:
        lines.append("")
        for c in result["citations"]:
            lines.append(f"[{c['n']}] 《{c['plan_title']}》 {c['item_path']} {c['item_title']}")
    return "\n".join(lines)


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from .answer import open_answerer

    rows = _input_rows(args.question, args.batch, "QUESTION")
    answerer = open_answerer(settings, _progress, args.plan or ())
    for row in rows:
        result = answerer.answer(row["question"], top_k=args.top_k, plans=args.plan or None, qid=row.get("id"))
        if args.json:
            print(json.dumps(result.to_dict(), ensure_ascii=False), flush=True)
        else:
            print(_answer_text(result.to_dict()) + ("\n" if len(rows) > 1 else ""), flush=True)
    return 0


def cmd_calibrate(args: argparse.Namespace, settings: Settings) -> int:
    from .answer import Answerer
    from .calibrate import fit, write
    from .retriever import open_retriever

    if Path(args.file).name.startswith("holdout"):
        from .errors import BadInputError

        raise BadInputError("the holdout file is never used to tune anything; calibrate on eval/questions.jsonl")
    questions = [json.loads(line) for line in Path(args.file).read_text(encoding="utf-8").splitlines() if line.strip()]
    answerer = Answerer(open_retriever(settings, _progress), None)
    calibration = fit(answerer, questions, str(args.file))
    write(calibration, settings.calibration)
    print(json.dumps(calibration, ensure_ascii=False, indent=2))
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Build what is missing (library, model, index), then serve the API on one process."""
    import uvicorn

    from .answer import open_answerer
    from .api import create_app
    from .embedding import Embedder
    from .errors import NotBuiltError
    from .index import build_index

    try:
        answerer = open_answerer(settings, _progress)
    except NotBuiltError as exc:
        if "calibration" in str(exc):
            raise
        _progress(f"{exc}\nbuilding it now …")
        build_index(settings, Embedder.from_settings(settings, _progress), _progress)
        answerer = open_answerer(settings, _progress)
    import threading

    import gradio as gr

    from ui.app import build_ui
    from ui.render import CSS

    lock = threading.Lock()  # one model and index, shared by the API and the chat
    app = create_app(answerer, lock)
    # the chat at /, the API at /api and /health; Gradio serves no file of the server (no allowed_paths,
    # and the project, corpus and data directory explicitly blocked)
    app = gr.mount_gradio_app(app, build_ui(answerer, lock), path="/", css=CSS, allowed_paths=[],
                              blocked_paths=[str(settings.home), str(settings.corpus), str(Path.cwd()),
                                             str(Path(__file__).resolve().parent.parent)])
    print(f"PolicyQA chat on http://{args.host}:{args.port}/  (API under /api, OpenAPI at /docs)", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _query_arguments(p: argparse.ArgumentParser, dest: str, metavar: str, what: str) -> None:
    """The arguments `ask` and `search` share (the contract's: --batch, --json, --top-k, --plan)."""
    p.add_argument(dest, nargs="?", metavar=metavar)
    p.add_argument("--batch", metavar="FILE", help='JSONL, one {"id": ..., "question": ...} per line')
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--top-k", type=_top_k, default=5, metavar="N", help=f"{what} wanted (1-20, default 5)")
    p.add_argument("--plan", action="append", metavar="PLAN_ID", help="restrict to this plan (repeatable)")


def _ablations(settings: Settings, answerer, questions: list[dict]) -> list[dict]:
    """The same questions through BM25 only, dense only, hybrid RRF, hybrid weighted, and without the dictionary."""
    import shutil
    import tempfile

    from .answer import Answerer
    from .evaluate import score
    from .index import SearchIndex, build_index
    from .retriever import HybridRetriever

    embedder = answerer.retriever.dense.embedder
    variants = [("bm25 only", settings.with_(mode="bm25")), ("dense only", settings.with_(mode="dense")),
                ("hybrid rrf", settings.with_(mode="hybrid", fusion="rrf")),
                ("hybrid weighted", settings.with_(mode="hybrid", fusion="weighted"))]
    out = []
    for name, variant in variants:
        retriever = HybridRetriever(answerer.index, embedder, variant)
        out.append({"variant": name, **_headline(score(Answerer(retriever, answerer.calibration), questions))})
    with tempfile.TemporaryDirectory(prefix="policyqa-ablation-") as tmp:
        home = Path(tmp)
        (home / "models").symlink_to(settings.home / "models", target_is_directory=True)
        shutil.copytree(settings.index_dir, home / "search")  # every vector is reused; only BM25 changes
        plain = settings.with_(home=home, use_dictionary=False)
        build_index(plain, embedder, progress=lambda _: None)
        retriever = HybridRetriever(SearchIndex.open(plain.index_dir, plain), embedder, plain)
        result = score(Answerer(retriever, answerer.calibration), questions)
        out.append({"variant": "hybrid rrf, no dictionary", **_headline(result)})
    return out


def _headline(result: dict) -> dict:
    o = result["overall"]
    return {k: o[k] for k in ("citation_at_1", "citation_at_3", "key_recall", "no_answer_accuracy")}


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import datetime

    from .answer import open_answerer
    from .evaluate import score
    from .report import contract_report, write

    path = Path(args.file)
    questions = read_batch(str(path))
    answerer = open_answerer(settings, _progress)
    result = score(answerer, questions)
    report = contract_report(result, str(args.file))
    ablation = _ablations(settings, answerer, questions) if args.ablate else None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = Path(args.out) / stamp
    write(folder, report, result["rows"], ablation)
    latest = Path(args.out) / "latest"
    write(latest / path.stem, report, result["rows"], ablation)
    if args.json:
        print(json.dumps({**report, **({"ablation": ablation} if ablation else {})}, ensure_ascii=False, indent=2))
    else:
        print(f"{report['questions']} questions: citation@1 {report['citation_at_1']}, citation@3 "
              f"{report['citation_at_3']}, key recall {report['key_recall']}, no-answer accuracy "
              f"{report['no_answer_accuracy']}, false no-answer rate {report['false_no_answer_rate']}, "
              f"p50 {report['latency_ms']['p50']} ms")
        for a in ablation or []:
            print(f"  {a['variant']:28} citation@3 {a['citation_at_3']}  key recall {a['key_recall']}")
        print(f"report: {folder}/report.md (also {latest / path.stem})")
    return 0


def cmd_match(args: argparse.Namespace, settings: Settings) -> int:
    from .match import Profile, open_matcher, render_text, score_profiles

    if args.score:
        rows = read_batch(args.score, key="profile")
        result = score_profiles(open_matcher(settings), rows)
        if args.json:
            _print_json(result)
        else:
            print(f"{result['profiles']} profiles: 适用 precision {result['precision']}, recall {result['recall']} "
                  f"({result['true_positives']} right, {result['false_positives']} extra, "
                  f"{result['false_negatives']} missed); 适用 outside the company's region: "
                  f"{result['cross_jurisdiction_applies']}")
            for r in result["rows"]:
                if r["extra"] or r["missed"]:
                    print(f"  {r['id']}: extra {r['extra']} missed {r['missed']}")
        return 0
    profile = Profile.parse(args.region, args.industry, args.size, args.stage)  # bad input fails before loading
    result = open_matcher(settings).match(profile)
    if args.json:
        _print_json(result.to_dict())
    else:
        print(render_text(result, show_elsewhere=args.all))
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

    p = sub.add_parser("index", help="build or update the search index (parses the corpus first)")
    p.add_argument("--full", action="store_true", help="re-embed every passage instead of reusing unchanged ones")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("search", help="ranked clauses for a query, with their BM25 and dense ranks")
    _query_arguments(p, "query", "QUERY", "clauses")
    p.add_argument("--mode", choices=("hybrid", "bm25", "dense"), help="default: POLICYQA_MODE or hybrid")
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
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("match", help="support measures for a company profile: 适用 / 可能适用 / 不适用-地域")
    p.add_argument("--region", help="where the company is (e.g. 杭州市, 历下区, 永川)")
    p.add_argument("--industry", default="", help="what it does, in words (e.g. VR头显, 数字人直播)")
    p.add_argument("--size", default="", help="大型 | 中型 | 小型 | 微型 | 中小")
    p.add_argument("--stage", default="", help="初创 | 成长 | 成熟")
    p.add_argument("--json", action="store_true", help="print the result object as JSON")
    p.add_argument("--all", action="store_true", help="also list the measures of other regions' plans")
    p.add_argument("--score", metavar="FILE", help="score 适用 against a gold profile file (eval/profiles.jsonl)")
    p.set_defaults(func=cmd_match)

    p = sub.add_parser("calibrate", help="fit the out-of-scope thresholds on evaluation questions")
    p.add_argument("file", nargs="?", default="eval/questions.jsonl", metavar="FILE")
    p.set_defaults(func=cmd_calibrate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        return args.func(args, settings)
    except PolicyQAError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""Build eval/profiles.jsonl from the helper-written gold (eval/match/GOLD.md): the development profiles
(profiles_seed.jsonl, profiles_more.jsonl) and the holdout profiles (holdout/profiles.jsonl), each gold measure
marked `money` as its plan's inventory (measures/, holdout/measures/) says. Run: python eval/match/merge.py"""
from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent
SOURCES = [HERE / "profiles_seed.jsonl", HERE / "profiles_more.jsonl", HERE / "holdout" / "profiles.jsonl"]


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    money: dict[tuple[str, str], bool] = {}
    for folder in (HERE / "measures", HERE / "holdout" / "measures"):
        for f in sorted(folder.glob("*.jsonl")):
            for m in rows(f):
                money[(m["plan_id"], m["sentence"])] = bool(m.get("money"))
    out = []
    for source in SOURCES:
        for row in rows(source):
            for g in row["gold"]:
                g["money"] = money.get((g["plan_id"], g.get("sentence", "")), False)
            out.append(row)
    (HERE.parent / "profiles.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out),
                                               encoding="utf-8")
    print(f"{len(out)} profiles -> eval/profiles.jsonl")


if __name__ == "__main__":
    main()

"""What the command line prints: JSON results on standard output, progress on standard error."""
from __future__ import annotations

import json
import sys


def print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)

"""`grant-assistant ask "質問" [--history-json FILE] [--json]`: one answer with its citations."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.settings import Settings
    from assistant.types import Answer


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("question", help="質問（日本語）")
    parser.add_argument("--history", nargs="*", default=[], help="earlier user questions, oldest first")
    parser.add_argument("--json", action="store_true", help="print the answer as JSON (the API's shape)")


def render(answer: Answer) -> str:
    lines = [answer.text, "", f"[status: {answer.status.value}]"]
    for c in answer.citations:
        lines.append(f"[{c.marker}] {c.title}（{c.fiscal_year}） {c.section}")
        lines.append(f"    「{c.quote}」")
    if answer.calculation is not None:
        lines.append(f"計算: {answer.calculation.formula}")
    return "\n".join(lines)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.core import build_assistant
    from assistant.payloads import answer_payload
    from assistant.types import Turn

    assistant = build_assistant(settings)
    history = [Turn("user", q) for q in args.history]
    answer = assistant.ask(args.question, history)
    if args.json:
        json.dump(answer_payload(answer, include_passages=True), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(render(answer))
    return 0

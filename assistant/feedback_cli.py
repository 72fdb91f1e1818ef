"""`grant-assistant feedback export [--format jsonl|csv] [--out FILE]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.settings import Settings


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["export"], help="export: write all feedback rows")
    parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    parser.add_argument("--out", type=Path, help="file to write (default: stdout)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.feedback import FeedbackStore

    text = FeedbackStore(settings.feedback_db).export(args.format)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0

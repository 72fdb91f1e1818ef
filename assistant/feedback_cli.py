"""`grant-assistant feedback export [--format jsonl|csv] [--out FILE]`.

CSV is written for Excel: UTF-8 with a BOM, and every text cell made safe against formula injection
(`assistant.feedback.csv_cell`). JSONL is the stored text, verbatim.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.settings import Settings


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["export"], help="export: write all feedback rows")
    parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl",
                        help="jsonl: verbatim; csv: for Excel (UTF-8 with BOM, formula-safe cells)")
    parser.add_argument("--out", type=Path, help="file to write (default: stdout)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.feedback import FeedbackStore

    data = FeedbackStore(settings.feedback_db).export_bytes(args.format)
    if args.out:
        args.out.write_bytes(data)
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)  # the same bytes as the file, whatever the terminal's encoding
        sys.stdout.buffer.flush()
    return 0

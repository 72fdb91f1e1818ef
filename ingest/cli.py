"""`grant-assistant ingest [--force]`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.settings import Settings


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="rebuild even when the index is up to date")
    parser.add_argument("--corpus", type=Path, help="corpus directory (default: ./corpus)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.pipeline import run_ingest

    if args.corpus:
        settings = settings.model_copy(update={"corpus_dir": args.corpus})
    summary = run_ingest(settings, force=args.force, show_progress=not args.quiet)
    print(summary)
    return 0

"""`grant-assistant serve [--host H] [--port P]`: ingest if needed, load once, serve API + chat."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.settings import Settings


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="bind address (default 127.0.0.1, GRANT_ASSISTANT_HOST)")
    parser.add_argument("--port", type=int, help="port (default 7860, GRANT_ASSISTANT_PORT)")
    parser.add_argument("--no-ingest", action="store_true", help="fail instead of building a missing/stale index")


def run(args: argparse.Namespace, settings: Settings) -> int:
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    import uvicorn

    from assistant.api import create_app
    from assistant.core import build_assistant
    from ingest.pipeline import ensure_index

    update = {k: v for k, v in (("host", args.host), ("port", args.port)) if v}
    settings = settings.model_copy(update=update)
    if not args.no_ingest:
        print(ensure_index(settings), flush=True)
    assistant = build_assistant(settings)
    assistant.prepare()
    app = create_app(settings, assistant)
    print(f"grant-assistant: chat on http://{settings.host}:{settings.port}/  API on http://{settings.host}:{settings.port}/api", flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", timeout_graceful_shutdown=5)
    return 0

"""`grant-assistant` console script.

Each subcommand lives in its own module exposing `configure(parser)` and `run(args, settings) -> int`;
this file only wires them. Command modules import their heavy dependencies inside `run`, so
`grant-assistant --help` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from assistant.errors import GrantAssistantError

# subcommand -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "ingest": ("ingest.cli", "corpus/ を読み込み索引（Chroma + キーワード）を作る"),
    "ask": ("assistant.ask_cli", "質問に出典付きで答える"),
    "calc": ("assistant.calculators.cli", "計算機を直接使う（上限額・補助率・評価・返還）"),
    "serve": ("assistant.serve_cli", "Web チャットと JSON API を起動する"),
    "eval": ("assistant.eval", "質問セットで評価し、レポートを書き出す"),
    "train": ("assistant.train", "ラベル付き質問セットから回答行のランキング重みを学習する"),
    "train-answerability": ("assistant.answerability_train", "ラベル付き質問セットから回答可否の判定を学習する"),
    "train-verdict": ("assistant.verdict_train", "ラベル付き質問セットからはい／いいえの判定を学習する"),
    "train-facts": ("assistant.facts_train", "ラベル付き質問セットから事実カードの照合を学習する"),
    "bench": ("assistant.bench", "速度・メモリ・規模の計測"),
    "feedback": ("assistant.feedback_cli", "利用者フィードバックの書き出し"),
}


def _offline_environment() -> None:
    # No telemetry, no model hub: set before chromadb / gradio / transformers are imported anywhere.
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="grant-assistant", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="索引とフィードバックの保存先 (GRANT_ASSISTANT_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        sub_parser = sub.add_parser(name, help=help_text, description=help_text)
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            sub_parser.set_defaults(_missing=module_name)
            continue
        module.configure(sub_parser)
        sub_parser.set_defaults(_module=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _offline_environment()
    args = build_parser().parse_args(argv)
    if getattr(args, "_missing", None):
        print(f"error: '{args.command}' is not available in this build ({args._missing})", file=sys.stderr)
        return 2
    from assistant.settings import Settings

    overrides = {"data_dir": args.data_dir} if args.data_dir else {}
    try:
        settings = Settings(**overrides)
        return int(args._module.run(args, settings) or 0)
    except GrantAssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

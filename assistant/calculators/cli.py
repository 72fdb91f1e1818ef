"""`grant-assistant calc --list` / `grant-assistant calc KIND --input 名前=値 …`."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.settings import Settings


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", nargs="?", help="calculator (see --list)")
    parser.add_argument("--input", "-i", action="append", default=[], metavar="NAME=VALUE",
                        help="an input, e.g. 総事業費=6,000万円 (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the calculators and their inputs")
    parser.add_argument("--json", action="store_true", help="print the calculation as JSON")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.calculators import CALCULATORS, calculate
    from assistant.errors import CalculationError
    from assistant.payloads import calculation_payload

    if args.list or not args.kind:
        for spec in CALCULATORS.values():
            required = set(spec.input_schema["required"])
            names = ", ".join(f"{n}{'' if n in required else '?'}" for n in spec.input_schema["properties"])
            print(f"{spec.kind:30s} {spec.title} — {names}")
        return 0
    inputs = {}
    for item in args.input:
        name, sep, value = item.partition("=")
        if not sep:
            raise CalculationError(f"--input needs NAME=VALUE: {item!r}")
        inputs[name.strip()] = value.strip()
    calc = calculate(args.kind, inputs)
    if args.json:
        print(json.dumps(calculation_payload(calc), ensure_ascii=False, indent=2))
        return 0
    print(calc.summary)
    print(f"計算式: {calc.formula}")
    for rule in calc.rules:
        print(f"  - {rule.name} = {rule.display_value()}{rule.unit}: 「{rule.quote}」 ({rule.source} {rule.section})")
    return 0

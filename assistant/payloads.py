"""The JSON shape of an Answer and a Calculation (../shared/docs/api.md), in one place for the API, the
CLI's --json and HTTP-mode evaluation."""

from __future__ import annotations

from typing import Any

from assistant.types import Answer, Calculation


def calculation_payload(calc: Calculation | None) -> dict[str, Any] | None:
    if calc is None:
        return None
    return {
        "kind": calc.kind,
        "inputs": dict(calc.inputs),
        "result": dict(calc.result),
        "formula": calc.formula,
        "summary": calc.summary,
        "rules": [
            {"name": r.name, "value": r.display_value(), "unit": r.unit, "quote": r.quote, "source": r.source,
             "section": r.section}
            for r in calc.rules
        ],
        "steps": [
            {"kind": s.kind, "label": s.label, "inputs": dict(s.inputs), "result": s.result,
             "rule": None if s.rule is None else {"name": s.rule.name, "value": s.rule.display_value(), "unit": s.rule.unit,
                                                   "quote": s.rule.quote, "source": s.rule.source, "section": s.rule.section}}
            for s in calc.steps
        ],
    }


def answer_payload(answer: Answer, include_passages: bool = False) -> dict[str, Any]:
    return {
        "answer": answer.text,
        "status": answer.status.value,
        "refused": answer.refused,
        "citations": [
            {"marker": c.marker, "chunk_id": c.chunk_id, "source": c.source, "title": c.title,
             "fiscal_year": c.fiscal_year, "section": c.section, "quote": c.quote, "score": c.score}
            for c in answer.citations
        ],
        "passages": [
            {"rank": p.rank, "chunk_id": p.chunk_id, "source": p.chunk.source, "title": p.chunk.title,
             "section": p.chunk.section, "text": p.text, "score": p.score}
            for p in answer.passages
        ]
        if include_passages
        else [],
        "calculation": calculation_payload(answer.calculation),
        "timings_ms": dict(answer.timings_ms),
    }

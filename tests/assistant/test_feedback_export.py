"""Feedback exports: CSV safe to open in Excel (no cell starts a formula, no control characters, UTF-8 with
BOM), JSONL verbatim; property-tested over arbitrary comments."""

from __future__ import annotations

import csv
import io
import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.cli import main
from assistant.feedback import FORMULA_START, FeedbackStore, csv_cell

FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
DANGEROUS = "".join(sorted(FORMULA_START))
# Comments an attacker or a careless user would type: formula starts, control characters, line breaks.
nasty = st.text(alphabet=st.sampled_from(list(DANGEROUS + "\x00\x01\x07\x1b\x7f\x85\u2028\n\r\t '\"=HYPERLINK(,)補助率")),
                max_size=40)
comments = st.one_of(st.text(max_size=200), nasty, st.builds(lambda a, b: a + b, st.sampled_from(list(DANGEROUS)), st.text(max_size=60)))
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _parse(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def _is_plain(text: str) -> bool:
    """Text that needs no change to be safe: it must come back from the CSV exactly."""
    if _UNSAFE.sub("", text.replace("\n", "")) != text.replace("\n", ""):
        return False
    return not any(line.lstrip(" \u3000")[:1] in FORMULA_START for line in text.split("\n"))


def _assert_safe_cell(cell: str) -> None:
    assert cell.lstrip(" \u3000")[:1] not in FORMULA_START, repr(cell)
    assert not _UNSAFE.search(cell.replace("\n", "")), repr(cell)
    for line in cell.split("\n")[1:]:
        assert line.lstrip(" \u3000")[:1] not in FORMULA_START, repr(cell)


@FUZZ
@given(comment=comments, question=comments)
def test_csv_cells_never_start_a_formula_and_round_trip_otherwise(tmp_path_factory, comment, question):
    store = FeedbackStore(tmp_path_factory.mktemp("fb") / "feedback.sqlite3")
    store.add(question or "q", "答え", -1, comment)
    header, row = _parse(store.export_bytes("csv"))
    assert header == ["id", "created_at", "question", "answer", "status", "rating", "comment"]
    cells = dict(zip(header, row, strict=True))
    for name, cell in cells.items():
        if name not in ("id", "rating"):  # numbers, written bare
            _assert_safe_cell(cell)
    assert cells["rating"] == "-1"  # a number stays a number, not "'-1"
    for sent, got in ((comment, cells["comment"]), (question or "q", cells["question"])):
        if _is_plain(sent):
            assert got == sent
        else:  # made safe, never longer than the original plus the one quote mark
            assert len(got) <= len(sent) + 1
    # JSONL keeps what was stored, verbatim
    stored = json.loads(store.export_bytes("jsonl").decode("utf-8"))
    assert stored["comment"] == re.sub(r"[\ud800-\udfff]", "\ufffd", comment)


def test_known_injections_are_neutralised():
    assert csv_cell('=HYPERLINK("http://evil","click")') == '\'=HYPERLINK("http://evil","click")'
    assert csv_cell("+1+1") == "'+1+1" and csv_cell("-2+3") == "'-2+3" and csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("\t=1+1") == "' =1+1"
    assert csv_cell("\r=1+1") == "' =1+1"
    assert csv_cell("＝1+1") == "'＝1+1"
    assert csv_cell("良い\n=cmd|' /C calc'!A0") == "良い =cmd|' /C calc'!A0"
    assert csv_cell("NUL\x00の\x07混入") == "NULの混入"
    assert csv_cell("\n\n=1+1") == "'  =1+1" and csv_cell("a\n\n @b") == "a   @b"
    assert csv_cell("一行目\r\n二行目") == "一行目\n二行目"  # a plain line break stays, inside the quoted cell
    assert csv_cell(-1) == -1 and csv_cell("") == ""


def test_lone_surrogates_are_stored_as_replacement_characters(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.add("\ud800補助率", "a", 1, "\udfff")
    row = store.rows()[0]
    assert row["question"] == "\ufffd補助率" and row["comment"] == "\ufffd"


def test_cli_writes_csv_with_bom_and_jsonl_verbatim(tmp_path, capsysbinary):
    data = tmp_path / "data"
    store = FeedbackStore(data / "feedback.sqlite3")
    store.add("上限額は？", "9,000万円です", 1, "=HYPERLINK(\"http://x\")\x00")
    assert main(["--data-dir", str(data), "feedback", "export", "--format", "csv", "--out", str(tmp_path / "f.csv")]) == 0
    header, row = _parse((tmp_path / "f.csv").read_bytes())
    assert row[header.index("comment")] == "'=HYPERLINK(\"http://x\")"
    assert main(["--data-dir", str(data), "feedback", "export", "--format", "jsonl"]) == 0
    out = capsysbinary.readouterr().out
    assert not out.startswith(b"\xef\xbb\xbf")
    assert json.loads(out.decode("utf-8"))["comment"] == "=HYPERLINK(\"http://x\")\x00"

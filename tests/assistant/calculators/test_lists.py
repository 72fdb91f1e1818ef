"""The 制度概要's ■ lists counted when asked how many items they have: each part's list (①～④, ⑤) read here from
the corpus on its own, and the items one part has that the other lacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.router import route

CORPUS = Path(__file__).parents[3] / "corpus"


def _excluded_cost_lists() -> list[list[str]]:
    """The items under each 「■ 対象外経費」 heading, in the document's order (①～④'s first, then ⑤'s)."""
    lines = (CORPUS / "digiden_chiho_sosei_telework_overview.txt").read_text(encoding="utf-8").split("\n")
    out = []
    for i, line in enumerate(lines):
        if line.startswith("■ 対象外経費"):
            items: list[str] = []
            for following in lines[i + 1 :]:
                if following.startswith("- "):
                    items.append(following[2:])
                elif following.startswith("※") or (not following.strip() and not items):
                    continue
                else:
                    break
            out.append(items)
    return out


@pytest.mark.parametrize(("asked", "which"), [("①～④の", [0]), ("⑤の", [1]), ("①～④と⑤の", [0, 1]), ("", [0, 1])])
def test_each_parts_excluded_cost_list_is_counted_as_the_corpus_lists_it(asked, which):
    lists = _excluded_cost_lists()
    assert len(lists) == 2
    r = route(f"監査の資料を準備中です。{asked}対象外経費は何項目ありますか？")
    assert r is not None and r.calculation is not None
    assert sorted(v for v in r.calculation.result.values() if isinstance(v, int)) == sorted(len(lists[i]) for i in which)


def test_both_lists_asked_name_the_items_only_one_part_has():
    facilities, fifth = _excluded_cost_lists()
    r = route("対象外経費は、①～④のほうは何項目で、⑤のほうは何項目ですか？⑤のほうにしかない項目も教えてください。")
    assert r is not None and r.calculation is not None
    only = r.calculation.result["⑤にだけある項目"]
    assert isinstance(only, list) and len(only) == len(fifth) - len(facilities)
    assert all(any(o.rstrip("…") in item for item in fifth) and not any(o.rstrip("…") in item for item in facilities)
               for o in only)

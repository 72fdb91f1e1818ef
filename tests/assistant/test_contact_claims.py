"""A contact from an officer's note is checked against the section of the measure the question names: the
documents give each measure's contact on its own page, so a contact found on another page is that measure's."""

from __future__ import annotations

from assistant import contact_claims
from assistant.types import Chunk


def page(i: int, measure: str, office: str, phone: str) -> Chunk:
    text = f"施策名：{measure}\n\n詳細\n\n{office}\n{phone}\n\n予算額\n\n10百万円"
    return Chunk(f"c{i}", "catalogue.txt", "施策集", "2021", f"施策名：{measure}", text, 0, len(text))


PAGES = [page(1, "地域研修支援事業", "総務省地域研修課", "03-1111-2222"),
         page(2, "地方創生テレワーク交付金", "内閣府地方創生推進室", "03-3333-4444")]


def test_a_contact_given_on_another_measures_page_is_that_measures_and_the_named_ones_is_given():
    found = contact_claims.check("引継ぎ資料ではテレワーク交付金の電話が03-1111-2222になっていますが、合ってますか？", PAGES)
    assert found is not None and not found.given_for_named
    assert contact_claims.measure_of(found.holder) == "地域研修支援事業"
    assert found.holder_quote == "03-1111-2222" and "総務省地域研修課" in found.holder_line
    assert found.named_chunk is PAGES[1] and found.named_quote == "03-3333-4444"


def test_a_contact_given_on_the_named_measures_page_is_confirmed():
    found = contact_claims.check("地方創生テレワーク交付金の連絡先は03-3333-4444で正しいですか？", PAGES)
    assert found is not None and found.given_for_named and found.holder is PAGES[1]


def test_no_check_without_a_claim_asked_or_a_contact_the_documents_give():
    assert contact_claims.check("テレワーク交付金の電話番号は？", PAGES) is None
    assert contact_claims.check("テレワーク交付金の電話は03-9999-0000で合ってますか？", PAGES) is None

"""Rules are quotes of the corpus, and the corpus's own adopted examples come out exactly."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from assistant.calculators.common import floor_to
from assistant.calculators.rules import all_rules, fraction, integer
from ingest.clean import clean_text
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def cleaned() -> dict[str, str]:
    return {p.name: clean_text(p.read_text(encoding="utf-8")) for p in CORPUS.glob("*.txt")}


def test_every_rule_quote_is_in_the_cleaned_corpus(cleaned):
    rules = all_rules()
    assert len(rules) >= 50
    for name, rule in rules.items():
        assert rule.source in cleaned, name
        assert rule.quote in cleaned[rule.source], f"{name}: quote not found: {rule.quote!r}"


def test_rule_values_are_exact_types():
    assert fraction("rate_high") == Fraction(3, 4) and fraction("rate_standard") == Fraction(1, 2)
    assert [integer(n) for n in ("cap_facility_under20", "cap_facility_20to49", "cap_facility_50plus")] == [
        30_000_000, 45_000_000, 90_000_000]
    assert all(not isinstance(r.value, float) for r in all_rules().values())


def _written_forms(value: object) -> set[str]:
    """How the documents write a rule's value (after NFKC, spaces removed): 45,000,000 yen as 4,500万円 or
    4500万; 3/4 as 3/4; 5/10 as 5割; 1/10000 as 0.01%; 53.9 as 53.9; 1/1 as 全額; 0 as これを除く."""
    from assistant.calculators.amounts import format_yen

    forms: set[str] = set()
    if isinstance(value, bool):
        return forms
    if isinstance(value, int):
        forms |= {str(value), f"{value:,}", format_yen(value).replace("円", ""), f"{value // 10_000}万" if value >= 10_000 else ""}
        if value >= 10_000 and value % 10_000 == 0:
            forms.add(f"{value // 10_000:,}万")
    elif isinstance(value, Fraction):
        forms |= {f"{value.numerator}/{value.denominator}", f"{float(value):g}", f"{float(value * 100):g}%"}
        if value.denominator == 10 or (value * 10).denominator == 1:
            forms.add(f"{int(value * 10)}割")
        if value == 1:
            forms.add("全額")
        if value == Fraction(1, 2):
            forms |= {"半額", "0.5"}
    else:
        forms.add(str(value))
    return {f for f in forms if f}


def test_every_rule_value_is_written_in_its_own_quote():
    """Not only is the quote in the corpus: the number the calculators use is the number the quote states."""
    import unicodedata

    exempt = {"national_truncation",  # derived from an example's arithmetic, as its note explains
              "repay_exemption", "project5_count_limit", "relocation_count_limit", "p5_type_same",  # a rule, not a number
              "eligible_outside", "eligible_listed", "eligible_prefecture"}  # labels of the quote's own items
    for name, rule in all_rules().items():
        if name in exempt:
            assert rule.note or name != "national_truncation", name
            continue
        quote = unicodedata.normalize("NFKC", rule.quote).replace(" ", "").replace("\t", "")
        if isinstance(rule.value, tuple):
            missing = [v for v in rule.value if not any(f in quote for f in _written_forms(v))]
            assert not missing, f"{name}: {missing} not in {rule.quote!r}"
            continue
        forms = _written_forms(rule.value)
        assert any(f.replace(" ", "") in quote for f in forms), f"{name}: none of {sorted(forms)} in {rule.quote!r}"


def test_every_adopted_example_in_the_corpus_is_reproduced(cleaned):
    """交付対象事業費 × 補助率, truncated to 千円, equals the 国費 each example states."""
    text = cleaned["digiden_chiho_sosei_telework_overview.txt"]
    examples = []
    kind = None
    for line in text.split("\n"):
        if m := re.search(r"採択区分\s*\|?\s*(高水準|標準)タイプ", line):
            kind = m.group(1)
        if m := re.search(r"交付対象事業費\s*[（(]国費(?:額|ベース)[）)]\s*\|?\s*([\d,]+)千円\s*[（(]([\d,]+)千円", line):
            examples.append((kind, int(m.group(1).replace(",", "")) * 1000, int(m.group(2).replace(",", "")) * 1000))
    assert len(examples) >= 8
    for kind, eligible, national in examples:
        rate = fraction("rate_high" if kind == "高水準" else "rate_standard")
        assert floor_to(eligible * rate, integer("national_truncation")) == national, (kind, eligible, national)


def test_each_facility_examples_kpi_rows_are_read_as_the_document_writes_them():
    from assistant.calculators.examples import adopted_examples
    from tests.conftest import CORPUS

    corpus = "\n".join(p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt"))
    facility = [e for e in adopted_examples() if not e.project5]
    assert len(facility) >= 6 and all(len(e.kpi) == 5 for e in facility)
    for e in facility:
        for _, value, row in e.kpi:
            assert row in corpus  # quoted verbatim
            assert row.split("\t")[-1].replace(",", "") == str(value)


def test_a_figure_derived_from_two_named_examples_targets_is_each_ones_and_their_difference():
    from assistant.calculators.examples import adopted_examples
    from assistant.router import route

    facility = [e for e in adopted_examples() if not e.project5]
    a, b = facility[1], facility[-1]
    r = route(f"{a.municipality}と{b.municipality}の採択事例、2024目標の県外利用者は延べ何人になる？（延べ利用者数×県外割合）")
    assert r is not None and r.calculation is not None
    for e in (a, b):
        users = next(v for k, v, _ in e.kpi if k == "利用者数")
        share = next(v for k, v, _ in e.kpi if k == "県外利用者割合")
        assert r.calculation.result[e.municipality] == users * share / 100
    r = route("施設整備の採択事例6つのうち、県外企業の比率が最も低い団体は？")
    assert r is not None and r.calculation is not None
    shares = {e.municipality: next(v for k, v, _ in e.kpi if k == "県外企業数") * 100 / next(v for k, v, _ in e.kpi if k == "利用企業数")
              for e in facility}
    lowest = min(shares, key=shares.__getitem__)
    assert f"いちばん低いのは{next(e.prefecture for e in facility if e.municipality == lowest)}{lowest}" in r.calculation.summary


@pytest.mark.parametrize("ask", ["高水準の5割ラインとの差は何人？", "高水準タイプの要件を満たしますか"])
def test_an_examples_outside_users_against_the_requirement_are_also_counted_in_people(ask):
    from assistant.calculators.examples import adopted_examples
    from assistant.calculators.rules import fraction
    from assistant.router import route

    for e in [e for e in adopted_examples() if not e.project5][:3]:
        users = next(v for k, v, _ in e.kpi if k == "利用者数")
        share = next(v for k, v, _ in e.kpi if k == "県外利用者割合")
        r = route(f"{e.municipality}の採択事例について、県外利用者は年に何人の目標ですか。{ask}")
        assert r is not None and r.calculation is not None
        line = users * fraction("kpi_high_users")
        gap = abs(Fraction(users * share, 100) - line)
        assert f"{float(line):,.6g}人" in r.calculation.formula
        assert f"要件の{float(line):,.6g}人" in r.calculation.summary
        assert (f"{float(gap):,.6g}人{'上回る' if Fraction(users * share, 100) > line else '下回る'}" if gap else "ちょうど") \
            in r.calculation.summary


def test_a_follow_up_pointing_back_at_one_example_computes_that_examples_figure():
    from assistant.calculators.examples import adopted_examples
    from assistant.router import route
    from assistant.types import Turn

    for e in [e for e in adopted_examples() if not e.project5][:3]:
        users = next(v for k, v, _ in e.kpi if k == "利用者数")
        share = next(v for k, v, _ in e.kpi if k == "県外利用者割合")
        history = (Turn("user", f"{e.municipality}の事例はどんな施設でしたか？"), Turn("assistant", "…"))
        r = route("そこの目標値では、県外の利用者は延べ何人になる？", history)
        assert r is not None and r.calculation is not None
        assert r.calculation.result == {e.municipality: users * share / 100}


def test_an_examples_local_share_is_computed_only_when_its_amount_is_asked():
    from assistant.calculators.examples import adopted_examples
    from assistant.router import route

    for e in [e for e in adopted_examples() if not e.project5][:3]:
        asked = route(f"{e.municipality}の事例の負担はいくら？")
        assert asked is not None and asked.calculation is not None and asked.calculation.kind == "example_burdens"
        assert f"{(e.eligible - e.national) // 1000:,}千円" in asked.calculation.summary
        other = route(f"{e.municipality}の事例で、常駐スタッフの人件費はどこが負担しているのですか？")
        assert other is None or other.calculation is None or other.calculation.kind != "example_burdens"


def test_two_examples_compared_say_which_bears_more_and_by_how_much():
    from assistant.calculators.examples import adopted_examples
    from assistant.router import route
    from assistant.types import Turn

    examples = [e for e in adopted_examples() if e.eligible != e.national][:4]
    for a, b in zip(examples, examples[1:], strict=False):
        share = {e.municipality: e.eligible - e.national for e in (a, b)}
        r = route(f"{a.municipality}と{b.municipality}の事例、地方負担はどっちが多い？差は？")
        assert r is not None and r.calculation is not None
        assert r.calculation.result["地方負担の差"] == abs(share[a.municipality] - share[b.municipality])
        if share[a.municipality] != share[b.municipality]:
            assert r.calculation.summary.startswith(max(share, key=share.__getitem__))
        # the second named in a follow-up that compares 「両方を比べて」: the first is the one asked about before
        history = [Turn("user", f"{a.municipality}の事例の事業費と国費は？"), Turn("assistant", "…")]
        r = route(f"{b.municipality}の事例は？両方の地方負担を比べて、どっちが多い？", history)
        assert r is not None and r.calculation is not None
        assert r.calculation.result["地方負担の差"] == abs(share[a.municipality] - share[b.municipality])

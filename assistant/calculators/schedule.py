"""Days between the dates of the 制度概要's schedule (事前相談, 実施計画の提出, 交付決定), each date a rule quoted with
its weekday. The schedule gives no year: the year of its first date is the one whose calendar has that weekday
on that day, and each later date is the first one after the previous with its own weekday."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant.calculators.common import calculation_of
from assistant.calculators.rules import integers, rule
from assistant.errors import CalculationError
from assistant.types import Calculation, Rule, Step

_WEEKDAYS = "月火水木金土日"
FIRST_YEARS = range(2020, 2031)  # the years a first date is looked for in (the programme's own years)


@dataclass(frozen=True)
class Event:
    label: str
    rule_name: str
    # words an officer uses for it: the phase, then what happens (「事前相談の締切」「提出受付が始まる」)
    cue: re.Pattern[str]


EVENTS: tuple[Event, ...] = (
    Event("事前相談受付開始", "schedule_consultation_start",
          re.compile(r"事前相談[^。、？?]{0,8}?(?:受付開始|開始|始ま|スタート)")),
    Event("事前相談締切", "schedule_consultation_end", re.compile(r"事前相談[^。、？?]{0,8}?(?:締切|締め切|〆切|期限|終わ)")),
    Event("実施計画提出受付開始", "schedule_submission_start",
          re.compile(r"(?:実施計画|計画|提出|申請)[^。、？?]{0,8}?(?:受付開始|受付が始|開始|始ま|スタート)")),
    Event("実施計画提出締切", "schedule_submission_end",
          re.compile(r"(?:実施計画|計画|提出|申請)[^。、？?]{0,8}?(?:締切|締め切|〆切|期限)")),
    Event("交付決定", "schedule_decision", re.compile(r"交付決定")),
)
# the phase's own period: its first date to its last (「提出受付は何日間」「事前相談の期間」)
PERIODS = {"schedule_consultation_end": "schedule_consultation_start",
           "schedule_submission_end": "schedule_submission_start"}


def _weekday(found: Rule) -> int:
    m = re.search(rf"[（(]([{_WEEKDAYS}])[）)]", found.quote)
    if m is None:
        raise CalculationError(f"{found.name}: 曜日が引用にありません")
    return _WEEKDAYS.index(m.group(1))


@lru_cache(maxsize=1)
def dated_events() -> tuple[tuple[Event, dt.date], ...]:
    """Each event with its date, the years read from the weekdays."""
    out: list[tuple[Event, dt.date]] = []
    previous: dt.date | None = None
    for event in EVENTS:
        found = rule(event.rule_name)
        month, day = integers(event.rule_name)
        weekday = _weekday(found)
        years = FIRST_YEARS if previous is None else range(previous.year, previous.year + 2)
        dates = [dt.date(y, month, day) for y in years]
        date = next((d for d in dates if d.weekday() == weekday and (previous is None or d > previous)), None)
        if date is None:
            raise CalculationError(f"{event.label}の年が曜日から決まりません")
        out.append((event, date))
        previous = date
    return tuple(out)


def _shown(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日（{_WEEKDAYS[date.weekday()]}）"


def events_named(clause: str) -> list[Event]:
    """The schedule's events a clause names, in the order it names them: by where each one's own word ends, since
    two may share their phase's word (「事前相談の受付開始から締切まで」)."""
    found = sorted(((m.end(), i) for i, e in enumerate(EVENTS) if (m := e.cue.search(clause))))
    return [EVENTS[i] for _, i in found]


def _weekdays(first: dt.date, last: dt.date, inclusive: bool) -> int:
    """Monday-to-Friday days after `first` up to `last` (from `first` itself when both ends count)."""
    start = first if inclusive else first + dt.timedelta(days=1)
    return sum(1 for n in range((last - start).days + 1) if (start + dt.timedelta(days=n)).weekday() < 5)


def days_between(asks: list[tuple[list[Event], bool]], weekdays: bool = False) -> Calculation:
    """For each ask — the events it names and whether it counts both ends (「締切日を含めて何日間」) — the days from
    the earlier date to the later one; an ask naming one phase's last date alone counts that phase's period. With
    `weekdays` (「土日を除くと」), Saturdays and Sundays are not counted (holidays are not known to the documents)."""
    dates = {e.rule_name: d for e, d in dated_events()}
    by_name = {e.rule_name: e for e in EVENTS}
    steps: list[Step] = []
    said: list[str] = []
    result: dict[str, object] = {}
    for events, inclusive in asks:
        if len(events) == 1 and events[0].rule_name in PERIODS:
            events, inclusive = [by_name[PERIODS[events[0].rule_name]], events[0]], True
        if len(events) < 2:
            continue
        first, last = sorted(events[:2], key=lambda e: dates[e.rule_name])
        since, until = dates[first.rule_name], dates[last.rule_name]
        days = (until - since).days + (1 if inclusive else 0)
        label = f"{first.label}（{_shown(since)}）から{last.label}（{_shown(until)}）まで"
        span = {"開始": since.isoformat(), "終了": until.isoformat()}
        dates_said = f"{since.month}月{since.day}日→{until.month}月{until.day}日"
        if weekdays:
            counted = _weekdays(since, until, inclusive)
            steps.append(Step("difference", f"{label}の{days}日のうち土日を除いた日：{counted}日", span, counted,
                              rule(last.rule_name)))
            said.append(f"{first.label}から{last.label}までの土日を除いた日数は{counted}日（全{days}日、{dates_said}、"
                        "祝日は数えていません）")
            result[f"{first.label}→{last.label}（土日を除く）"] = counted
            continue
        steps.append(Step("difference", f"{label}：{days}日" + ("（両日を含む）" if inclusive else ""), span, days,
                          rule(last.rule_name)))
        weeks = f"{days // 7}週" + (f"と{days % 7}日" if days % 7 else "") + "、" if days >= 7 else ""  # also as N週とM日
        said.append(f"{first.label}から{last.label}までは{days}日" + ("間（両日を含む）" if inclusive else "")
                    + f"（{weeks}{dates_said}）")
        result[f"{first.label}→{last.label}"] = days
    if not steps:
        raise CalculationError("スケジュールのどの日付の間かが読み取れませんでした")
    summary = "。".join(said) + "です（年は資料の曜日から）。"
    rules = {s.rule.name: s.rule for s in steps if s.rule is not None}
    for step in steps:  # each date the step counts from is cited too
        start = next(e for e, d in dated_events() if d.isoformat() == step.inputs["開始"])
        rules.setdefault(start.rule_name, rule(start.rule_name))
    calculation = calculation_of("schedule_days", {"スケジュール": "・".join(said)}, result, summary, steps)
    return replace(calculation, rules=tuple(rules.values()))


# a phase asked about by its name alone (「事前相談はまだ受け付けてもらえる？」): its opening and closing events
PHASES = (("事前相談", "schedule_consultation_start", "schedule_consultation_end"),
          ("実施計画の提出", "schedule_submission_start", "schedule_submission_end"))
_PHASE_WORDS = {"事前相談": re.compile(r"事前相談"), "実施計画の提出": re.compile(r"実施計画|計画の?提出|提出")}


def date_in_phase(month: int, day: int, clause: str) -> Calculation | None:
    """Whether a day (the asker's plan: 「事前相談を1月16日に」) falls within the phase the clause names, the year
    taken within the schedule's span; None when the clause names no phase."""
    phase = next((p for p in PHASES if _PHASE_WORDS[p[0]].search(clause)), None)
    if phase is None:
        return None
    name, opening, closing = phase
    dates = {e.rule_name: d for e, d in dated_events()}
    first, last = min(dates.values()), max(dates.values())
    try:  # the year that puts the day nearest the schedule's span (a December day before it, a February one after)
        candidates = [dt.date(y, month, day) for y in range(first.year, last.year + 1)]
    except ValueError:
        return None  # no such day (「2月30日」)
    asked = min(candidates, key=lambda d: max((first - d).days, (d - last).days, 0))
    start, end = dates[opening], dates[closing]
    if asked < start:
        verdict, word = "受付開始前です", "いいえ"
    elif asked <= end:
        verdict, word = "受付期間内です", "はい"
    else:
        verdict, word = f"締切（{end.month}月{end.day}日）を過ぎています", "いいえ"
    hour = re.search(r"(\d{1,2})\s*時", rule(closing).quote)  # 「1月25日（水） 15時」: the closing day's hour
    if hour and asked == end:
        verdict += f"（締切日の{hour.group(1)}時まで）"
    step = Step("gate", f"{name}：{_shown(start)}～{_shown(end)}、ご予定の{_shown(asked)}は{verdict}",
                {"予定日": asked.isoformat()}, word == "はい", rule(closing))
    summary = f"{word}。{name}の受付は{start.month}月{start.day}日～{end.month}月{end.day}日で、{asked.month}月{asked.day}日は{verdict}。"
    calculation = calculation_of("schedule_date", {"予定日": f"{month}月{day}日", "手続き": name}, {"判定": word}, summary, [step])
    return replace(calculation, rules=(rule(opening), rule(closing)))

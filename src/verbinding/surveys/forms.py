"""Parsing of one pulse screen's POST: which step, the answers so far, and what was tapped.

The pulse keeps nothing on the server until the last tap: every screen carries the answers so
far in hidden fields (`a_<item>`), and the last screen stores them in one transaction. So a
pulse left half-way stores nothing, and a tampered hidden field is checked like a tapped one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from verbinding.core.errors import DomainError
from verbinding.surveys.items import Item

ACTIONS = ("answer", "back", "finish")


@dataclass
class PulseStep:
    step: int = 0
    answers: dict[str, str] = field(default_factory=dict)
    done: bool = False


def parse_step(post, items: tuple[Item, ...]) -> PulseStep:
    """The next screen after this POST. Raises DomainError("pulse_answer_invalid") for an
    unknown answer code, a step out of range or a value that is not plain text."""
    try:
        step = int(post.get("step", "0"))
    except (TypeError, ValueError) as error:
        raise DomainError("pulse_answer_invalid") from error
    if not 0 <= step < len(items):
        raise DomainError("pulse_answer_invalid")
    answers: dict[str, str] = {}
    for item in items:
        value = post.get(f"a_{item.code}", "")
        if value == "":
            continue
        if value not in item.codes:
            raise DomainError("pulse_answer_invalid")
        answers[item.code] = value
    result = PulseStep(step=step, answers=answers)
    if "back" in post:
        answers.pop(items[step].code, None)
        result.step = max(step - 1, 0)
        answers.pop(items[result.step].code, None)
        return result
    if "answer" in post:
        value = post.get("answer")
        if value not in items[step].codes:
            raise DomainError("pulse_answer_invalid")
        answers[items[step].code] = value
        result.step = step + 1
    # "Done" is offered from the first module item on; the five weekly items are always shown.
    finish = "finish" in post and items[min(result.step, len(items) - 1)].module != "pulse"
    if finish or result.step >= len(items):
        result.done = True
        result.step = min(result.step, len(items) - 1)
    return result

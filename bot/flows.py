"""Walking a flow: from a question and the answer given to the next question or a result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.schema import Flow, QuestionSpec, ResultSpec

Answers = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class FlowMap:
    """One flow, indexed by id."""

    flow: Flow
    questions: dict[str, QuestionSpec] = field(init=False)
    results: dict[str, ResultSpec] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "questions", {q.id: q for q in self.flow.questions})
        object.__setattr__(self, "results", {r.id: r for r in self.flow.results})

    def step(self, question_id: str, choice_id: str, answers: Answers) -> str:
        """The id of the question or result that follows answering ``question_id``.

        ``answers`` are the earlier answers in this conversation, which ``then`` arms may test.
        Raises KeyError for a question or choice the flow does not have.
        """
        choice = {c.id: c for c in self.questions[question_id].choices}[choice_id]
        if choice.go is not None:
            return choice.go
        given = dict(answers)
        for arm in choice.then or []:
            if all(_matches(given.get(q), wanted) for q, wanted in arm.when.items()):
                return arm.go
        raise KeyError(f"no arm of {question_id}/{choice_id} matches")  # schema forbids this

    def replay(self, answers: Answers) -> str:
        """Where a conversation stands after ``answers``, from the flow's start."""
        at = self.flow.start
        for i, (question_id, choice_id) in enumerate(answers):
            if question_id != at:
                raise KeyError(f"answer to {question_id} given while at {at}")
            at = self.step(question_id, choice_id, answers[:i])
        return at


def _matches(given: str | None, wanted: str | list[str]) -> bool:
    return given in wanted if isinstance(wanted, list) else given == wanted

"""Learning topics from examples: the words around the decisive ones count, a lone familiar
word does not, and the weighted terms still decide when they are clear."""

from __future__ import annotations

from bot.classifier import ExampleModel, features
from bot.routing import Router
from bot.schema import Topic
from bot.text import stem


def stems(text: str) -> list[str]:
    return [stem(w) for w in text.lower().split()]


EXAMPLES = {
    "breach": [
        "i left my bag on the bus with papers in it",
        "the letter went to the old address by mistake",
        "someone took my work phone from the car",
        "left the notebook on the train home",
    ],
    "security": [
        "how should i carry papers on a home visit",
        "is it ok to keep papers in my car boot",
        "what is the safest way to post a report",
        "can i take my work phone abroad",
    ],
}


def test_the_words_around_an_event_tell_a_mistake_from_a_habit() -> None:
    model = ExampleModel({t: [stems(e) for e in said] for t, said in EXAMPLES.items()})
    mistake = model.probabilities(stems("i left the papers on the bus by mistake"))
    habit = model.probabilities(stems("what is the safest way to carry papers"))
    assert mistake["breach"] > 0.5 > mistake["security"]
    assert habit["security"] > 0.5 > habit["breach"]


def test_a_message_of_unfamiliar_words_gets_no_verdict() -> None:
    model = ExampleModel({t: [stems(e) for e in said] for t, said in EXAMPLES.items()})
    assert model.probabilities(stems("quarterly budget spreadsheet pivot")) == {}


def test_one_familiar_word_is_weak_evidence() -> None:
    model = ExampleModel({t: [stems(e) for e in said] for t, said in EXAMPLES.items()})
    assert sum(model.probabilities(stems("papers")).values()) < 0.25
    assert sum(model.probabilities(stems("left papers on the bus by mistake")).values()) > 0.75


def test_features_are_words_and_neighbouring_pairs_without_filler() -> None:
    police, want, file = stem("police"), stem("want"), stem("file")
    assert features(stems("the police want the file")) == {
        police,
        want,
        file,
        f"{police} {want}",
        f"{want} {file}",
    }


def test_the_router_learns_a_topic_its_terms_miss_and_keeps_clear_terms() -> None:
    topics = [
        Topic.model_validate({"id": "breach", "label": "b", "description": "b", "terms": {}}),
        Topic.model_validate(
            {"id": "security", "label": "s", "description": "s", "terms": {"egress": 4}}
        ),
    ]
    router = Router(topics, ["hello"], [], EXAMPLES)
    assert router.route("left a bag of papers on the train by mistake").topic == "breach"
    assert router.route("how do i use egress").topic == "security"
    assert Router(topics, ["hello"], []).route("left papers on the train").topic == "unknown"

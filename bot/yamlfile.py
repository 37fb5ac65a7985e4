"""Read IG-edited YAML and Markdown files, remembering which line each value came from.

Errors in knowledge files must name the file and the line, so the loader keeps a map from
each value's path (``("questions", 2, "choices", 0, "label")``) to its line number and looks
up pydantic's error locations in it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

Path_ = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


# libyaml's parser where PyYAML was built with it: several times faster, which is most of the
# assistant's start-up time.
try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _Loader(_SafeLoader):
    """A safe loader that reads ``yes``, ``no``, ``on`` and ``off`` as text, not booleans.

    Choice ids are often ``yes`` and ``no``; YAML 1.1 would silently turn them into True and
    False. Only ``true`` and ``false`` mean booleans here.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge files can't be loaded; ``problems`` lists every one found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Document:
    """Parsed data from one file plus the line of every value in it."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """The line of the deepest value on ``path`` that the file has."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None

    def problem(self, path: Sequence[str | int], message: str) -> Problem:
        return Problem(self.file, self.line_of(path), message)


def read_yaml(path: Path, label: str, text: str | None = None, line_offset: int = 0) -> Document:
    """Parse one YAML document; raises KnowledgeError with the file and line on bad syntax."""
    source = path.read_text(encoding="utf-8") if text is None else text
    loader = _Loader(source)  # a safe loader: no arbitrary objects
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(label, None)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        raise KnowledgeError([Problem(label, line, f"not valid YAML: {exc.problem}")]) from None
    finally:
        loader.dispose()
    lines: dict[Path_, int] = {}
    _index(node, (), lines, line_offset)
    return Document(label, data, lines)


def read_front_matter(path: Path, label: str) -> Document:
    """Parse a Markdown file with YAML front matter; the body becomes the ``text`` key."""
    source = path.read_text(encoding="utf-8")
    match = re.match(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n?", source, re.S)
    if not match:
        raise KnowledgeError(
            [Problem(label, 1, "must start with front matter between two '---' lines")]
        )
    doc = read_yaml(path, label, match.group(1), line_offset=1)
    if not isinstance(doc.data, dict):
        raise KnowledgeError(
            [Problem(label, 2, "front matter must be a set of 'key: value' lines")]
        )
    doc.data["text"] = source[match.end() :].strip()
    doc.lines[("text",)] = source[: match.end()].count("\n") + 1
    return doc


def validate(model: type[M], doc: Document, path: Path_ = ()) -> M | list[Problem]:
    """Validate the value at ``path`` of ``doc`` as ``model``, or say where it is wrong."""
    value = doc.data
    for key in path:
        value = value[key]
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = path + tuple(error["loc"])
            where = ".".join(str(p) for p in loc)
            message = error["msg"].removeprefix("Value error, ")
            problems.append(doc.problem(loc, f"{where}: {message}" if where else message))
        return problems


def _index(node: yaml.Node, path: Path_, lines: dict[Path_, int], offset: int) -> None:
    lines[path] = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            _index(value_node, (*path, key), lines, offset)
            lines[(*path, key)] = key_node.start_mark.line + 1 + offset
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*path, i), lines, offset)

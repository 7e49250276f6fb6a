"""Typed errors the services raise. The UI turns them into translated messages, the command
line into exit codes and one line per problem on stderr."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


class CtmtError(Exception):
    """Base of every error the core raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input.

    Attributes:
        field: the field it concerns (``places``, ``participants_female``…), or ``""``.
        code: a stable identifier (``required``, ``too_large``, ``part_above_total``…) the UI
            uses to pick a translated message.
        message: an English sentence naming the field and the problem.
        params: values for the translated message.
        warning: True for problems the caller may override (a likely duplicate).
        row: the position of the record in a batch (0-based), when it came from one.
    """

    field: str
    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    warning: bool = False
    row: int | None = None

    def __str__(self) -> str:
        where = f"record {self.row + 1}: " if self.row is not None else ""
        return f"{where}{self.field}: {self.message}" if self.field else f"{where}{self.message}"


class ValidationError(CtmtError):
    """Input rejected; ``problems`` lists every reason, each naming its field."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    @property
    def only_warnings(self) -> bool:
        return all(p.warning for p in self.problems)


class NotFoundError(CtmtError):
    """No record, profile or file with that identifier."""


class StorageError(CtmtError):
    """The user's environment failed us: file unreadable, disk full, locked, read-only."""


class ConfigurationError(CtmtError):
    """The database lacks something it needs (no agency profile yet…)."""

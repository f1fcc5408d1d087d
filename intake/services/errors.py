"""Domain errors: a use case refuses with a stable code and the values that explain it, never a sentence.

A page turns the code into Chinese through intake.web.wording; a JSON API can answer with the code itself.
"""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params


class InvalidInput(DomainError):
    """What was sent cannot be used (a missing field, a value out of range)."""


class NotAllowed(DomainError):
    """The person may not do this to this object."""


class NotFound(DomainError):
    """No such object, or none this person may see: answered as 404."""


class InvalidTransition(DomainError):
    """The object is in a stage where this change is no longer possible."""


class DraftConflict(DomainError):
    """The draft changed since the deputy's page showed it; what they wrote was kept."""


class Conflict(DomainError):
    """What the page showed changed since (a second tap on one button, another tab): nothing was done, so nothing
    is done twice."""


class Problems(InvalidInput):
    """A file with bad lines: every problem found, each a code with its values (line number and the like)."""

    def __init__(self, code: str, problems: list[tuple[str, dict]]):
        super().__init__(code)
        self.problems = problems

"""Codes people read off a screen or paper and may type back: a sign-in or progress link, an API key, a password."""

from __future__ import annotations

import secrets

# No 0/o, 1/l/i: a code read aloud or copied by hand is typed back right.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def code(length: int) -> str:
    """A random code of `length` characters, about 4.95 bits each (39 carry as much as 24 random bytes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))

"""The one error type ailead raises for bad input, and how a message quotes a value.

Every message names where the problem is (file, field), the value given and what is allowed, so
that the CLI can print it as one plain line and exit with status 2.
"""

import math
import reprlib

SHORT = 80  # characters of a value a message quotes


class AileadError(ValueError):
    """Bad input: a scenario, parameter, value or request that ailead cannot use."""


class _Short(reprlib.Repr):
    """reprlib's bounded repr; an integer too long to print is described by its length."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel, self.maxstring, self.maxother, self.maxlong = 3, SHORT, SHORT, SHORT

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 256:
            k = int(x.bit_length() * math.log10(2))  # the digits are k or k + 1
            return f"<an integer of {k + (abs(x) >= 10**k)} digits>"
        return super().repr_int(x, level)


_repr = _Short()


def field_name(key: object) -> str:
    """A field name as a message shows it: printable (escapes, not raw newlines), within about
    80 characters."""
    text = str(key)
    return text if text.isprintable() and len(text) <= SHORT else short(text)[1:-1]


def short(value: object) -> str:
    """`repr(value)` cut to about 80 characters, without building the repr of a huge value."""
    text = _repr.repr(value)
    return text if len(text) <= SHORT else text[: SHORT - 3] + "..."

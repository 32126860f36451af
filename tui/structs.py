"""Records with fields that are not all alike: some left out of `==` and hashing, some (secrets, raw answers) out
of `repr`.

A msgspec Struct compares and shows every field; a dataclass can leave some out, but defining one costs ~0.7 ms
on Python 3.11 (each generated method is compiled by an `exec` of its own) against ~0.03 ms for a Struct, and the
few that need it are all on the start path. `Partial` is a Struct whose `==`, `hash`, `repr` and Rich repr follow
two class attributes instead:

    class Email(Partial, frozen=True):
        UNCOMPARED = frozenset({"raw"})  # out of ==, != and hash
        HIDDEN = frozenset({"raw"})      # out of repr() and Rich's pretty repr (tracebacks with locals)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import msgspec


class Partial(msgspec.Struct, eq=False):
    """A Struct comparing all fields but those in `UNCOMPARED`, and showing all but those in `HIDDEN`."""

    UNCOMPARED: ClassVar[frozenset[str]] = frozenset()
    HIDDEN: ClassVar[frozenset[str]] = frozenset()

    def _compared(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__struct_fields__ if name not in self.UNCOMPARED)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._compared() == other._compared()  # type: ignore[attr-defined]

    def __ne__(self, other: object) -> bool:  # msgspec's own would answer for a Struct without `eq`
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(self._compared())

    def __rich_repr__(self) -> Iterator[tuple[str, Any]]:
        for name in self.__struct_fields__:
            if name not in self.HIDDEN:
                yield name, getattr(self, name)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.__rich_repr__())
        return f"{type(self).__name__}({shown})"

"""Byte counts as a person reads them."""

from __future__ import annotations

NO_SIZE = "—"
_UNITS = ("KB", "MB", "GB", "TB")
_STEP = 1024


def human_size(n: int | None) -> str:
    """'512 B', '9.5 KB', '24 KB', '1.2 MB' (1024-based); '—' when unknown or negative.

    One decimal below 10 of a unit, whole numbers from 10 up: the column stays
    narrow and the figure still tells 1.2 MB from 1.9 MB.
    """
    if n is None or isinstance(n, bool) or n < 0:
        return NO_SIZE
    if n < _STEP:
        return f"{n} B"
    value = n / _STEP
    for unit in _UNITS[:-1]:
        shown = _figure(value)
        # 1023.99 KB would read "1024 KB": say "1.0 MB" instead.
        if float(shown) < _STEP:
            return f"{shown} {unit}"
        value /= _STEP
    return f"{_figure(value)} {_UNITS[-1]}"


def _figure(value: float) -> str:
    return f"{value:.1f}" if value < 9.95 else f"{value:.0f}"

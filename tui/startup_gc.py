"""The cycle collector held off while the app starts, and the start-up's objects kept out of its way after.

Starting builds some 300,000 objects that live as long as the app: modules, classes,
styles, widgets. Python's collector scans them again and again while they are made
(a full pass alone took 22-37 ms of the first paint, against none for a bare Textual
app), though none is garbage. So `hold()` turns it off before the app's imports, and
`release()`, once the first screen is painted, moves everything alive then into the
permanent generation (`gc.freeze`, meant for long-lived start-up objects) and turns it
back on: later passes, during an hour of triage, scan only what was made since.
Textual pauses the collector the same way while it scrolls (`PAUSE_GC_ON_SCROLL`).
The cost: cyclic garbage made while starting (some 5,000 small objects, measured) is
frozen with the rest and never freed; a full pass to free it first would cost the 20-37
ms this saves.
"""

from __future__ import annotations

import gc

_held = False


def hold() -> None:
    """Collector off until `release` (a no-op when someone else turned it off)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release() -> None:
    """Collector on again, what is alive now out of its scans; only if `hold` turned it off (tests never do)."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()


def held() -> bool:
    return _held

"""Fault injection for the sandbox: latency, 429/500/dropped connections, token expiry, misbehaviours.

Off by default. Random faults draw from a seeded RNG, one draw per CRM call, so
the same seed and the same sequence of calls give the same faults every run.
Misbehaviours (tui/sandbox/misbehaviour.py: empty pages forever, a gzip bomb, a
trickle...) are named in the same spec, alone or with a value: `gzip-bomb`,
`trickle=50`.
"""

from __future__ import annotations

import random
import msgspec

from tui.sandbox.misbehaviour import MISBEHAVIOURS
from tui.structs import Partial
from tui.zoho.errors import UsageError

FAULT_KINDS = ("429", "500", "drop")

# Spec keys -> Faults attribute and how to read the value.
_SPEC_KEYS: dict[str, tuple[str, type]] = {
    "429": ("rate_429", float),
    "500": ("rate_500", float),
    "drop": ("rate_drop", float),
    "expire": ("expire_after", int),
    "latency": ("latency_ms", int),
    "always": ("always", str),
    "seed": ("seed", int),
    "retry-after": ("retry_after", int),
}


class Faults(Partial):
    """What goes wrong on purpose. Mutable: tests flip `always` on and off mid-run."""

    UNCOMPARED = HIDDEN = frozenset({"_rng"})

    latency_ms: int = 0
    rate_429: float = 0.0
    rate_500: float = 0.0
    rate_drop: float = 0.0
    # An access token stops working after this many CRM calls (None: only its 1 h lifetime).
    expire_after: int | None = None
    # "429", "500" or "drop": every CRM call fails that way until set back to None.
    always: str | None = None
    seed: int = 0
    # Seconds for a Retry-After header on 429s. Off by default: Zoho documents none.
    retry_after: int | None = None
    # Misbehaviours turned on, by name, with their value (tui/sandbox/misbehaviour.py).
    misbehaviours: dict[str, int] = msgspec.field(default_factory=dict)
    # Seeded from `seed` in __post_init__ (a Struct has no fields outside its __init__).
    _rng: random.Random = msgspec.field(default_factory=random.Random)

    def __post_init__(self) -> None:
        self._check()
        self._rng = random.Random(self.seed)

    def _check(self) -> None:
        for name in ("rate_429", "rate_500", "rate_drop"):
            rate = getattr(self, name)
            if not 0.0 <= rate <= 1.0:
                raise UsageError(f"fault rate {name} must be between 0 and 1, not {rate}")
        if self.rate_429 + self.rate_500 + self.rate_drop > 1.0:
            raise UsageError("fault rates add up to more than 1")
        if self.always is not None and self.always not in FAULT_KINDS:
            raise UsageError(f"always must be one of {', '.join(FAULT_KINDS)}, not {self.always!r}")
        if self.expire_after is not None and self.expire_after < 1:
            raise UsageError("expire must be at least 1 call")
        if self.latency_ms < 0:
            raise UsageError("latency cannot be negative")
        for name, value in self.misbehaviours.items():
            if name not in MISBEHAVIOURS:
                raise UsageError(f"unknown misbehaviour {name!r}: one of {', '.join(MISBEHAVIOURS)}")
            if value < 0:
                raise UsageError(f"{name} cannot be negative")

    @classmethod
    def parse(cls, spec: str) -> Faults:
        """`"429=0.1,500=0.05,drop=0.02,expire=100"` (also latency=MS, always=KIND, seed=N, retry-after=S),
        and misbehaviours by name, alone or with a value: `"empty-pages,trickle=50"`."""
        values: dict[str, object] = {}
        misbehaviours: dict[str, int] = {}
        for part in (p.strip() for p in spec.split(",")):
            if not part:
                continue
            key, sep, raw = part.partition("=")
            key = key.strip().lower()
            if key in MISBEHAVIOURS:
                try:
                    misbehaviours[key] = int(raw.strip()) if sep else MISBEHAVIOURS[key].default
                except ValueError:
                    raise UsageError(f"bad fault value in {part!r}: expected a whole number") from None
                continue
            if not sep or key not in _SPEC_KEYS:
                known = ", ".join((*_SPEC_KEYS, *MISBEHAVIOURS))
                raise UsageError(f"bad fault {part!r}: expected KEY=VALUE with KEY one of {known}")
            name, kind = _SPEC_KEYS[key]
            try:
                values[name] = kind(raw.strip())
            except ValueError:
                raise UsageError(f"bad fault value in {part!r}: expected a {kind.__name__}") from None
        return cls(**values, misbehaviours=misbehaviours)  # type: ignore[arg-type]

    def draw(self) -> str | None:
        """The fault for one CRM call ("429", "500", "drop") or None. Always one RNG draw."""
        roll = self._rng.random()
        if self.always is not None:
            return self.always
        for kind, rate in (("429", self.rate_429), ("500", self.rate_500), ("drop", self.rate_drop)):
            if roll < rate:
                return kind
            roll -= rate
        return None

    def reseed(self, seed: int | None = None) -> None:
        """Start the random faults over (same seed: the same faults again)."""
        if seed is not None:
            self.seed = seed
        self._rng = random.Random(self.seed)

"""A figure beside its baseline, its target, and the table and JSON they are printed as."""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """What a figure must reach: a ratio to its baseline, or a value, at most (or exactly) this."""

    limit: float | None  # None: no target of its own (a figure that explains another)
    of: str = "ratio"  # "ratio" or "value"
    unit: str = ""

    def met(self, value: float | None, ratio: float | None) -> bool | None:
        if self.limit is None:
            return None
        measured = ratio if self.of == "ratio" else value
        return measured is not None and not math.isnan(measured) and measured <= self.limit + 1e-9

    def text(self) -> str:
        if self.limit is None:
            return "—"
        if self.of == "ratio":
            return f"≤ {self.limit:g}×"
        return f"≤ {_number(self.limit)}{_unit(self.unit)}"


@dataclass(frozen=True)
class Figure:
    key: str  # "1", "4a"...: the numbering
    name: str
    value: float | None
    baseline: float | None
    unit: str
    target: Target
    baseline_name: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or self.baseline is None or math.isnan(self.value) or math.isnan(self.baseline):
            return None
        if self.baseline == 0:
            return None if self.value else 1.0
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        return self.target.met(self.value, self.ratio)

    def json(self) -> dict[str, object]:
        ratio = self.ratio
        return {
            "name": f"{self.key}. {self.name}",
            "value": _rounded(self.value),
            "baseline": _rounded(self.baseline),
            "ratio": None if ratio is None else round(ratio, 3),
            "target": self.target.text(),
            "met": self.met,
            "unit": self.unit,
        }


def median(samples: Iterable[float]) -> float:
    values = [s for s in samples if s is not None and not math.isnan(s)]
    return statistics.median(values) if values else math.nan


def table(figures: Sequence[Figure]) -> str:
    """One Markdown table: figure, value, baseline, ratio, target, met/missed."""
    rows = ["| figure | value | baseline | ratio | target | |", "| --- | ---: | ---: | ---: | --- | --- |"]
    for figure in figures:
        ratio = figure.ratio
        baseline = _measure(figure.baseline, figure.unit)
        if figure.baseline_name:
            baseline = f"{figure.baseline_name}: {baseline}"
        rows.append(
            f"| {figure.key}. {figure.name} | {_measure(figure.value, figure.unit)} | {baseline} | "
            f"{'—' if ratio is None else f'{ratio:.2f}'} | {figure.target.text()} | "
            f"{_verdict(figure.met)} |"
        )
    return "\n".join(rows)


def _verdict(met: bool | None) -> str:
    return "—" if met is None else "met" if met else "**missed**"


def as_json(figures: Sequence[Figure]) -> str:
    return json.dumps({"figures": [figure.json() for figure in figures]}, ensure_ascii=False, indent=1)


def _measure(value: float | None, unit: str) -> str:
    if value is None or math.isnan(value):
        return "—"
    return f"{_number(value)}{_unit(unit)}"


def _unit(unit: str) -> str:
    return f" {unit}" if unit and unit not in ("×",) else unit


def _number(value: float) -> str:
    if value == int(value) and abs(value) < 1e6:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _rounded(value: float | None) -> float | None:
    if value is None or math.isnan(value):
        return None
    return round(value, 4)


def interleaved(runs: dict[str, Callable[[], float]], rounds: int) -> dict[str, list[float]]:
    """Each run `rounds` times, taking turns, the order reversed every other round (drift falls on both)."""
    samples: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for round_ in range(rounds):
        for name in names if round_ % 2 == 0 else reversed(names):
            samples[name].append(runs[name]())
    return samples

"""The contract between the apps and `monitor`.

Every module listed in settings.LANGSO_FIGURE_PROVIDERS exposes

    FIGURE_DEFINITIONS: dict[str, FigureDefinition]
    def monitoring_figures(*, unit_ids: Sequence[int], period_start: date,
                           period_end: date) -> dict[int, dict[str, Figure]]

`unit_ids` are commune-level AdminUnit ids (2025 or legacy). The result maps each id to
its figures by code (e.g. "procedures.online_rate"). A figure keeps numerator and
denominator, never only the ratio, so that roll-ups can recompute rates correctly.

A provider whose write changes a commune's figures sends `figures_changed` inside that write's
transaction; `monitor` listens and recomputes the commune after COMMIT, coalescing a burst of
changes into one recompute. The provider does not know who listens.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import import_module
from typing import Literal

from django.conf import settings
from django.dispatch import Signal

logger = logging.getLogger(__name__)

FigureKind = Literal["count", "rate", "average"]

# Sent with `unit` (the commune's AdminUnit) and `year` (None: the current year).
figures_changed = Signal()


@dataclass(frozen=True)
class FigureDefinition:
    code: str
    label: str  # Vietnamese, shown to officials
    kind: FigureKind
    description: str = ""  # how it is computed, shown when a figure is clicked


@dataclass(frozen=True)
class Figure:
    numerator: Decimal | int
    denominator: Decimal | int | None = None  # None for plain counts

    @property
    def value(self) -> Decimal | None:
        if self.denominator is None:
            return Decimal(self.numerator)
        if not self.denominator:
            return None
        return Decimal(self.numerator) / Decimal(self.denominator)

    @property
    def percent(self) -> Decimal | None:
        value = self.value
        if value is None or self.denominator is None:
            return None
        return (value * 100).quantize(Decimal("0.01"))


def figure_providers() -> list:
    providers = []
    for path in settings.LANGSO_FIGURE_PROVIDERS:
        try:
            module = import_module(path)
        except ImportError:
            logger.warning(
                "Figure provider %s cannot be imported; its figures show as no data.", path
            )
            continue
        if hasattr(module, "monitoring_figures"):
            providers.append(module)
    return providers


def all_definitions() -> dict[str, FigureDefinition]:
    out: dict[str, FigureDefinition] = {}
    for module in figure_providers():
        out.update(getattr(module, "FIGURE_DEFINITIONS", {}))
    return out


def collect_figures(
    *, unit_ids: Sequence[int], period_start: date, period_end: date
) -> dict[int, dict[str, Figure]]:
    merged: dict[int, dict[str, Figure]] = {uid: {} for uid in unit_ids}
    for module in figure_providers():
        result = module.monitoring_figures(
            unit_ids=unit_ids, period_start=period_start, period_end=period_end
        )
        for uid, figures in result.items():
            merged.setdefault(uid, {}).update(figures)
    return merged

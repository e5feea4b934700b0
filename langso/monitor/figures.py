"""The one door to other apps' data: `langso.core.figures.collect_figures`.

`read_figures` calls it; if a provider module listed in settings is not installed yet (the
apps are built in parallel; a deployment may leave one out), core raises
ModuleNotFoundError for the whole call. Then, and only then, the providers that do import
are asked one by one, so a missing app shows as "no data" instead of breaking monitoring.
(Proposed change to core: let `figure_providers()` skip missing modules with a warning.)
"""

import logging
from collections.abc import Sequence
from datetime import date
from importlib import import_module

from django.conf import settings

from langso.core.figures import Figure, collect_figures

log = logging.getLogger(__name__)


def read_figures(
    *, unit_ids: Sequence[int], period_start: date, period_end: date
) -> dict[int, dict[str, Figure]]:
    try:
        return collect_figures(unit_ids=unit_ids, period_start=period_start, period_end=period_end)
    except ModuleNotFoundError:
        merged: dict[int, dict[str, Figure]] = {uid: {} for uid in unit_ids}
        for path in settings.LANGSO_FIGURE_PROVIDERS:
            try:
                module = import_module(path)
            except ModuleNotFoundError:
                log.warning(
                    "figure provider %s is not installed: its figures show as no data", path
                )
                continue
            if not hasattr(module, "monitoring_figures"):
                continue
            result = module.monitoring_figures(
                unit_ids=unit_ids, period_start=period_start, period_end=period_end
            )
            for uid, figures in result.items():
                merged.setdefault(uid, {}).update(figures)
        return merged


def definitions() -> dict:
    """Figure definitions of every installed provider (for the "how computed" page)."""
    out: dict = {}
    for path in settings.LANGSO_FIGURE_PROVIDERS:
        try:
            module = import_module(path)
        except ModuleNotFoundError:
            continue
        out.update(getattr(module, "FIGURE_DEFINITIONS", {}))
    return out

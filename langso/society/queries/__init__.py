"""Reads of the society app (one module per area) and its figures for monitoring."""

from .figures import FIGURE_DEFINITIONS, monitoring_figures

__all__ = ["FIGURE_DEFINITIONS", "monitoring_figures"]

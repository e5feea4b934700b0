"""Every write of the procedures app."""

from .alerts import flag_dossiers, mark_notifications_read
from .catalogue import load_catalogue, save_procedure, seed_holidays
from .dossiers import complete_dossier, issue_apology, submit_dossier, transition_dossier
from .ratings import rate_dossier

__all__ = [
    "complete_dossier",
    "flag_dossiers",
    "issue_apology",
    "load_catalogue",
    "mark_notifications_read",
    "rate_dossier",
    "save_procedure",
    "seed_holidays",
    "submit_dossier",
    "transition_dossier",
]

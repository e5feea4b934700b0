from .addresses import address_detail, address_issue, address_lookup, address_place
from .environment import station_detail, stations
from .health import health_consents, health_home, health_record
from .maps import map_page
from .teams import help_log, help_log_sw
from .training import (
    training,
    training_import,
    training_session,
    training_session_delete,
    training_template,
)

__all__ = [
    "address_detail",
    "address_issue",
    "address_lookup",
    "address_place",
    "health_consents",
    "health_home",
    "health_record",
    "help_log",
    "help_log_sw",
    "map_page",
    "station_detail",
    "stations",
    "training",
    "training_import",
    "training_session",
    "training_session_delete",
    "training_template",
]

"""Importing households and residents from a population sheet (see people/sheets.py).

Three steps: parse every row (types, formats), check the households as wholes (one head,
consistent hamlet, codes and citizen IDs unique in the file and in the database), then
write everything with bulk inserts inside the caller's transaction. Nothing is written
while the file has errors, unless the caller asked for the valid households only. The
action that runs them is `people.actions.import_population`.
"""

from .checks import (
    ImportMode,
    ImportReport,
    ParsedRow,
    RowError,
    check_rows,
    parse_date,
    parse_row,
)
from .collector import collector_paused
from .writing import BATCH_SIZE, write_households

__all__ = [
    "BATCH_SIZE",
    "ImportMode",
    "ImportReport",
    "ParsedRow",
    "RowError",
    "check_rows",
    "collector_paused",
    "parse_date",
    "parse_row",
    "write_households",
]

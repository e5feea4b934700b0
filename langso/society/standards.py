"""Loading the water and air limits kept as data in data/water_limits.json."""

import json
from datetime import date
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "water_limits.json"


def load_standards(parameter_model=None, limit_model=None) -> int:
    """Create or update parameters and limits from the data file; returns limits written.
    Called by a data migration (with historical models) and by the demo."""
    if parameter_model is None or limit_model is None:
        from .models import Limit, Parameter

        parameter_model, limit_model = Parameter, Limit
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    params = {}
    for p in data["parameters"]:
        params[p["code"]], _ = parameter_model.objects.update_or_create(
            code=p["code"], defaults={"name": p["name"], "unit": p["unit"]}
        )
    written = 0
    for std in data["standards"]:
        for lim in std["limits"]:
            limit_model.objects.update_or_create(
                standard=std["standard"],
                parameter=params[lim["parameter"]],
                station_kind=std.get("station_kind", "water_supply"),
                defaults={
                    "min_value": lim.get("min"),
                    "max_value": lim.get("max"),
                    "max_exclusive": lim.get("max_exclusive", False),
                    "valid_from": date.fromisoformat(std["valid_from"]),
                    "valid_to": date.fromisoformat(std["valid_to"]) if std["valid_to"] else None,
                    "to_confirm": lim.get("to_confirm", False),
                    "note": std.get("note", ""),
                },
            )
            written += 1
    return written

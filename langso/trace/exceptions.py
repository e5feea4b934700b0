"""Stable error codes of the traceability rules (the API returns them as `code`)."""

from langso.core.exceptions import Conflict, ValidationFailed

HARVEST_BEFORE_PLANTING = "trace.harvest_before_planting"
SHIP_EXCEEDS_PACKED = "trace.ship_exceeds_packed"
PACK_EXCEEDS_BATCH = "trace.pack_exceeds_batch"
PRE_HARVEST_INTERVAL = "trace.pre_harvest_interval"
EVENT_IN_FUTURE = "trace.event_in_future"
EVENT_ALREADY_CORRECTED = "trace.event_already_corrected"
EPCIS_INVALID = "trace.epcis_invalid"
EVENT_ID_CONFLICT = "trace.event_id_conflict"
INVALID_GTIN = "trace.invalid_gtin"
INVALID_GLN = "trace.invalid_gln"
INVALID_LOT = "trace.invalid_lot"
DUPLICATE_LOT = "trace.duplicate_lot"
MISSING_DETAIL = "trace.missing_detail"


class ChainRuleBroken(ValidationFailed):
    """The new event would make the batch's story inconsistent."""

    code = "trace.chain_rule"


class EpcisInvalid(ValidationFailed):
    code = EPCIS_INVALID


class AlreadyCorrected(Conflict):
    code = EVENT_ALREADY_CORRECTED


class EventIdConflict(Conflict):
    """A captured event reuses the eventID of a different stored event."""

    code = EVENT_ID_CONFLICT

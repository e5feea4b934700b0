"""Society models, one module per area: digital addresses, map layers, health records,
water and environment, digital technology teams and training."""

from .addresses import AddressAlias, DigitalAddress
from .environment import Alert, Limit, Parameter, Reading, ReadingSource, Station, StationKind
from .health import (
    Allergy,
    BloodGroup,
    Condition,
    DiseaseCase,
    HealthConsent,
    HealthRecord,
    HealthVisit,
    Vaccination,
)
from .maps import LayerSource, MapFeature, MapLayer, Visibility
from .teams import (
    Attendance,
    Course,
    DigitalTeam,
    HelpSession,
    HelpTopic,
    TeamHousehold,
    TeamMember,
    TrainingAudience,
    TrainingSession,
)

__all__ = [
    "AddressAlias",
    "Alert",
    "Allergy",
    "Attendance",
    "BloodGroup",
    "Condition",
    "Course",
    "DigitalAddress",
    "DigitalTeam",
    "DiseaseCase",
    "HealthConsent",
    "HealthRecord",
    "HealthVisit",
    "HelpSession",
    "HelpTopic",
    "LayerSource",
    "Limit",
    "MapFeature",
    "MapLayer",
    "Parameter",
    "Reading",
    "ReadingSource",
    "Station",
    "StationKind",
    "TeamHousehold",
    "TeamMember",
    "TrainingAudience",
    "TrainingSession",
    "Vaccination",
    "Visibility",
]

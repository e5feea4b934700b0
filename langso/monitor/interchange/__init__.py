"""DHIS2 interchange: identifiers (UIDs), metadata (`/api/metadata` shape) and
`dataValueSets` export and import. See each module's docstring."""

from .metadata import metadata_package
from .values import CODE, UID, export_data_value_set, import_data_value_set

__all__ = ["CODE", "UID", "export_data_value_set", "import_data_value_set", "metadata_package"]

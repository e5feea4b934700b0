from django.db import transaction

from langso.core import audit
from langso.core.models import AuditAction
from langso.core.validation import validate
from langso.people.actors import Actor
from langso.places.models import AdminUnit

from ..exceptions import NotAllowed
from ..models import LayerSource, MapFeature, MapLayer, Visibility
from ..permissions import can_manage

# The layers every commune map starts with: slug, name, source, visibility, colour.
DEFAULT_LAYERS = [
    (
        "ho-gia-dinh",
        "Hộ gia đình (địa chỉ số)",
        LayerSource.HOUSEHOLDS,
        Visibility.OFFICIALS,
        "#6d4c41",
    ),
    ("dich-vu-cong", "Dịch vụ công", LayerSource.FEATURES, Visibility.PUBLIC, "#c62828"),
    ("giao-duc", "Giáo dục", LayerSource.FEATURES, Visibility.PUBLIC, "#1565c0"),
    ("du-lich", "Du lịch", LayerSource.FEATURES, Visibility.PUBLIC, "#2e7d32"),
    ("dich-benh", "Dịch bệnh (theo thôn)", LayerSource.EPIDEMIC, Visibility.PUBLIC, "#ad1457"),
    ("vung-an-toan", "Vùng an toàn", LayerSource.FEATURES, Visibility.PUBLIC, "#00897b"),
    ("vung-trong", "Vùng trồng", LayerSource.GROWING_AREAS, Visibility.PUBLIC, "#558b2f"),
    (
        "nuoc-moi-truong",
        "Nước sạch và môi trường",
        LayerSource.STATIONS,
        Visibility.PUBLIC,
        "#0277bd",
    ),
    ("camera", "Camera an ninh", LayerSource.FEATURES, Visibility.OFFICIALS, "#424242"),
]


@transaction.atomic
def ensure_default_layers(*, actor: Actor | None, commune: AdminUnit) -> list[MapLayer]:
    if actor is not None and not can_manage(actor, commune):
        raise NotAllowed("Chỉ cán bộ xã được quản lý bản đồ.")
    layers = []
    for position, (slug, name, source, visibility, color) in enumerate(DEFAULT_LAYERS):
        layer, created = MapLayer.objects.get_or_create(
            commune=commune,
            slug=slug,
            defaults={
                "name": name,
                "source": source,
                "visibility": visibility,
                "color": color,
                "position": position,
                "shown_by_default": slug in {"dich-vu-cong", "du-lich"},
            },
        )
        if created:
            audit.record_change(actor=actor, action=AuditAction.CREATE, target=layer)
        layers.append(layer)
    return layers


@transaction.atomic
def add_feature(
    *,
    actor: Actor | None,
    layer: MapLayer,
    name: str,
    geometry: dict,
    description: str = "",
    properties: dict | None = None,
) -> MapFeature:
    if actor is not None and not can_manage(actor, layer.commune):
        raise NotAllowed("Chỉ cán bộ xã được sửa bản đồ.")
    feature = MapFeature(
        layer=layer,
        name=name,
        geometry=geometry,
        description=description,
        properties=properties or {},
    )
    validate(feature)
    feature.save()
    audit.record_change(actor=actor, action=AuditAction.CREATE, target=feature)
    return feature

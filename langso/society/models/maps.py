from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.core import limits
from langso.core.limits import BoundedTextField
from langso.core.models import TimeStampedModel


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Công khai")
    OFFICIALS = "officials", _("Chỉ cán bộ xã")


class LayerSource(models.TextChoices):
    """Where a layer's features come from: rows officials edit, or data of another area."""

    FEATURES = "features", _("Đối tượng do cán bộ nhập")
    HOUSEHOLDS = "households", _("Địa chỉ số các hộ")
    EPIDEMIC = "epidemic", _("Ca bệnh theo thôn (tổng hợp)")
    GROWING_AREAS = "growing_areas", _("Vùng trồng")
    STATIONS = "stations", _("Trạm quan trắc nước, môi trường")


class MapLayer(TimeStampedModel):
    """A thematic layer of a commune's map; its visibility is enforced by the API."""

    commune = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("xã"),
        on_delete=models.PROTECT,
        related_name="map_layers",
    )
    slug = models.SlugField(_("mã lớp"), max_length=40)
    name = models.CharField(_("tên lớp"), max_length=120)
    description = BoundedTextField(_("mô tả"), blank=True, max_length=limits.DESCRIPTION)
    source = models.CharField(
        _("nguồn dữ liệu"), max_length=16, choices=LayerSource.choices, default=LayerSource.FEATURES
    )
    visibility = models.CharField(
        _("phạm vi hiển thị"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    color = models.CharField(_("màu"), max_length=7, default="#1565c0")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    shown_by_default = models.BooleanField(_("hiện khi mở bản đồ"), default=False)

    class Meta:
        verbose_name = _("lớp bản đồ")
        verbose_name_plural = _("lớp bản đồ")
        ordering = ["commune", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "slug"], name="unique_layer_slug_per_commune"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.source == LayerSource.HOUSEHOLDS and self.visibility != Visibility.OFFICIALS:
            raise ValidationError(_("Lớp địa chỉ các hộ chỉ được hiển thị cho cán bộ."))


GEOMETRY_TYPES = {"Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon"}


def _positions(coords):
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        yield coords
        return
    for part in coords or []:
        yield from _positions(part)


def validate_geometry(geometry) -> None:
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        raise ValidationError(_("Hình học phải là GeoJSON (Point, LineString, Polygon...)."))
    positions = list(_positions(geometry.get("coordinates")))
    if not positions:
        raise ValidationError(_("Hình học không có toạ độ."))
    for pos in positions:
        if len(pos) < 2 or not (-180 <= pos[0] <= 180 and -90 <= pos[1] <= 90):
            raise ValidationError(_("Toạ độ phải theo thứ tự [kinh độ, vĩ độ]."))


class MapFeature(TimeStampedModel):
    """A point, line or area on a layer: a school, a tea hill, a safe zone, a camera."""

    layer = models.ForeignKey(
        MapLayer, verbose_name=_("lớp"), on_delete=models.CASCADE, related_name="features"
    )
    name = models.CharField(_("tên"), max_length=160)
    description = BoundedTextField(_("mô tả"), blank=True, max_length=limits.DESCRIPTION)
    geometry = models.JSONField(_("hình học (GeoJSON)"), validators=[validate_geometry])
    properties = models.JSONField(_("thuộc tính"), default=dict, blank=True)
    photo = models.ImageField(_("ảnh"), upload_to="society/map/", blank=True)
    is_active = models.BooleanField(_("đang hiển thị"), default=True)

    class Meta:
        verbose_name = _("đối tượng trên bản đồ")
        verbose_name_plural = _("đối tượng trên bản đồ")
        ordering = ["layer", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def commune(self):
        return self.layer.commune

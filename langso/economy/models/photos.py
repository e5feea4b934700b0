from django.db import models
from django.utils.translation import gettext_lazy as _

from langso.core.models import TimeStampedModel


class ProductPhoto(TimeStampedModel):
    """One photo of a product; the image's content is checked on upload (see actions)."""

    product = models.ForeignKey(
        "economy.Product",
        verbose_name=_("sản phẩm"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    image = models.ImageField(_("ảnh"), upload_to="products/%Y/")
    caption = models.CharField(_("chú thích"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("ảnh sản phẩm")
        verbose_name_plural = _("ảnh sản phẩm")
        ordering = ["position", "pk"]

    @property
    def audit_unit(self):
        return self.product.producer.commune

    def __str__(self) -> str:
        return self.caption or self.image.name

from datetime import date
from decimal import Decimal
from uuid import UUID

from ninja import Field, Schema

from langso.core import limits
from langso.core.schemas import InputSchema


class ProducerOut(Schema):
    id: UUID
    kind: str
    kind_label: str
    name: str
    commune_code: str
    address: str
    phone: str
    url: str


class ProducerIn(InputSchema):
    commune: str | None = None
    kind: str
    name: str
    address: str = ""
    phone: str = ""
    registration_number: str = ""
    description: str = Field("", max_length=limits.DESCRIPTION)
    latitude: float | None = None
    longitude: float | None = None


class ProducerPatch(Schema):
    kind: str | None = None
    name: str | None = None
    address: str | None = None
    phone: str | None = None
    registration_number: str | None = None
    description: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class CertificateOut(Schema):
    kind: str
    number: str
    issuer: str
    scope: str
    valid_from: date
    valid_to: date
    status: str
    star: int | None = None
    issuing_level: str = ""


class ProductOut(Schema):
    id: UUID
    name: str
    producer: ProducerOut
    ocop_group: str
    ocop_subgroup: str
    ocop_stars: int | None
    description: str
    unit: str
    price: Decimal | None
    stock: int | None
    gtin: str
    images: list[str]
    url: str
    traceability_url: str | None
    certificates: list[CertificateOut] = []


class ProductIn(InputSchema):
    producer: UUID
    name: str
    ocop_group: str = ""
    ocop_subgroup: str = ""
    description: str = Field("", max_length=limits.DESCRIPTION)
    unit: str = "kg"
    price: Decimal | None = None
    stock: int | None = None
    gtin: str = ""
    is_listed: bool = True


class ProductPatch(Schema):
    name: str | None = None
    ocop_group: str | None = None
    ocop_subgroup: str | None = None
    description: str | None = None
    unit: str | None = None
    price: Decimal | None = None
    stock: int | None = None
    gtin: str | None = None
    is_listed: bool | None = None


class VietQROut(Schema):
    payload: str
    dynamic: bool
    bank_bin: str
    account: str
    amount: Decimal | None
    purpose: str
    bill_number: str


class VietQRParseIn(InputSchema):
    payload: str


class MerchantAccountOut(Schema):
    tag: str
    guid: str
    scheme: str
    fields: dict[str, str]


class VietQRReadOut(VietQROut):
    """Everything the reader found: the scheme (vietqr, vnpay, or emvco for another one),
    the e-wallet a VietQR pays into, every root field, the additional data by name."""

    scheme: str
    wallet: str
    service: str
    point_of_initiation: str
    currency: str
    country: str
    merchant_id: str
    merchant_name: str
    merchant_city: str
    postal_code: str
    merchant_category: str
    tip_indicator: str
    tip_fixed: str
    tip_percentage: str
    additional_data: dict[str, str]
    language: dict[str, str]
    merchant_accounts: list[MerchantAccountOut]
    other_fields: dict[str, str]
    crc: str


class DemandOut(Schema):
    id: UUID
    title: str
    buyer_name: str
    ocop_group: str
    quantity: Decimal
    unit: str
    needed_by: date | None
    price: Decimal | None
    status: str
    offers: int


class DemandIn(InputSchema):
    commune: str | None = None
    title: str
    buyer_name: str
    quantity: Decimal
    unit: str = "kg"
    needed_by: date | None = None
    price: Decimal | None = None
    ocop_group: str = ""
    description: str = Field("", max_length=limits.DESCRIPTION)
    contact: str = ""


class OfferIn(InputSchema):
    producer: UUID
    quantity: Decimal
    price: Decimal | None = None
    product: UUID | None = None
    message: str = Field("", max_length=limits.NOTE)


class OfferOut(Schema):
    id: int
    producer: str
    quantity: Decimal
    price: Decimal | None


class ScoresIn(InputSchema):
    scores: dict[str, Decimal]
    comment: str = Field("", max_length=limits.NOTE)


class EvaluationOut(Schema):
    total: Decimal
    star: int
    part_a: Decimal
    part_b: Decimal
    part_c: Decimal
    level: str


class OcopDossierOut(Schema):
    id: UUID
    product: str
    producer: str
    filed_on: date
    status: str
    current_level: str
    decision: str
    self_total: Decimal | None
    result_total: Decimal | None
    result_star: int | None

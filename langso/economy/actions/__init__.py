"""Writes of the economy app (the only place that saves economy models)."""

from .areas import (
    add_certificate,
    clean_geometry,
    create_growing_area,
    revoke_certificate,
    update_growing_area,
)
from .market import close_demand, make_offer, post_demand
from .ocop import (
    accept_dossier,
    attach_dossier_file,
    decide_dossier,
    file_dossier,
    return_dossier,
    score_dossier,
    score_parts,
)
from .payments import add_bank_account, payment_payload, remove_bank_account
from .producers import add_member, create_linkage, create_producer, remove_member, update_producer
from .products import (
    add_product_photo,
    check_image,
    clean_gtin,
    create_product,
    delete_product_photo,
    update_product,
)

__all__ = [
    "accept_dossier",
    "add_bank_account",
    "add_certificate",
    "add_member",
    "add_product_photo",
    "attach_dossier_file",
    "check_image",
    "clean_geometry",
    "clean_gtin",
    "close_demand",
    "create_growing_area",
    "create_linkage",
    "create_producer",
    "create_product",
    "decide_dossier",
    "delete_product_photo",
    "file_dossier",
    "make_offer",
    "payment_payload",
    "post_demand",
    "remove_bank_account",
    "remove_member",
    "return_dossier",
    "revoke_certificate",
    "score_dossier",
    "score_parts",
    "update_growing_area",
    "update_producer",
    "update_product",
]

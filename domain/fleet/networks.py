"""`/products/<imei>/available_networks?mcc=`: the networks the unit's SIM may use in a country.

The SIM is the part fitted to the unit now whose part type is a SIM type
(`sim_part_type_sim_provider_linker`); its provider's networks (`sim_provider_network_linker`) with
that mobile country code are the answer. A unit with no SIM part can use no network.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.history import Network, SimPartTypeSimProviderLinker, SimProviderNetworkLinker
from db.models.parts import Part, PartProductLinker
from domain.errors import ValidationFailed

MCC = re.compile(r"[0-9]{3}")  # ITU-T E.212: three decimal digits


def parse_mcc(raw: str | None) -> int:
    if raw is None or not raw.strip():
        raise ValidationFailed("'mcc' is required", validation_errors={"mcc": "Missing"})
    if not MCC.fullmatch(raw.strip()):
        raise ValidationFailed(
            f"'mcc' must be a mobile country code of three digits, not {raw!r}",
            validation_errors={"mcc": "Expected three digits, e.g. 635"},
        )
    return int(raw)


def available_networks(session: Session, imei: str, mcc: int) -> list[Network]:
    """Networks of the providers of the SIMs fitted to `imei`, in `mcc`, by name."""
    sim_providers = (
        select(SimPartTypeSimProviderLinker.sim_provider_id)
        .join(Part, Part.part_type_id == SimPartTypeSimProviderLinker.sim_part_type_id)
        .join(PartProductLinker, PartProductLinker.part_id == Part.part_id)
        .where(PartProductLinker.product_imei == imei, PartProductLinker.date_removed.is_(None))
    )
    networks = select(SimProviderNetworkLinker.network_id).where(
        SimProviderNetworkLinker.sim_provider_id.in_(sim_providers)
    )
    return list(
        session.scalars(
            select(Network)
            .where(Network.mccmnc.in_(networks), Network.mcc == mcc)
            .order_by(Network.name, Network.mccmnc)
        )
    )

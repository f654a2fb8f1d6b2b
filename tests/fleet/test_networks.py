"""available_networks: SIM part type -> SIM provider -> networks in the asked country, per mcc."""

from __future__ import annotations

from datetime import timedelta

import pytest

from api.tables.serialize import serializer_for
from db.models.history import Network, SimPartTypeSimProviderLinker, SimProvider, SimProviderNetworkLinker
from db.models.parts import Part, PartProductLinker, PartType, PartTypeCategory
from domain.permissions import Permission
from tests.utils.factories import make_product
from tests.utils.fleet_data import headers
from tests.utils.response_schema import assert_conforms


@pytest.fixture(scope="module")
def sims(fleet_session, fleet):
    """Provider Aeris (Rwanda MTN and Airtel, Kenya Safaricom) on SIM type 43; the full unit has a
    SIM of type 43 fitted and an older SIM of another provider removed; the bare unit has no SIM."""
    session = fleet_session
    category = PartTypeCategory(name="SIM")
    session.add(category)
    session.flush()
    aeris_sim, old_sim = (
        PartType(
            name=name, part_type_category_id=category.part_type_category_id, serial_number_category="known"
        )
        for name in ("SIM Aeris", "SIM Eseye")
    )
    aeris, eseye = SimProvider(name="Aeris"), SimProvider(name="Eseye")
    networks = {
        "mtn": Network(mccmnc=63510, mcc=635, mnc=10, name="Rwanda MTN"),
        "airtel": Network(mccmnc=63514, mcc=635, mnc=14, name="Rwanda Airtel"),
        "safaricom": Network(mccmnc=63902, mcc=639, mnc=2, name="Kenya Safaricom"),
        "tigo": Network(mccmnc=63513, mcc=635, mnc=13, name="Rwanda Tigo"),
    }
    session.add_all([aeris_sim, old_sim, aeris, eseye, *networks.values()])
    session.flush()
    session.add_all(
        [
            SimPartTypeSimProviderLinker(
                sim_part_type_id=aeris_sim.part_type_id, sim_provider_id=aeris.sim_provider_id
            ),
            SimPartTypeSimProviderLinker(
                sim_part_type_id=old_sim.part_type_id, sim_provider_id=eseye.sim_provider_id
            ),
            *(
                SimProviderNetworkLinker(
                    sim_provider_id=aeris.sim_provider_id, network_id=networks[key].mccmnc
                )
                for key in ("mtn", "airtel", "safaricom")
            ),
            SimProviderNetworkLinker(
                sim_provider_id=eseye.sim_provider_id, network_id=networks["tigo"].mccmnc
            ),
        ]
    )
    fitted, removed = Part(part_type_id=aeris_sim.part_type_id), Part(part_type_id=old_sim.part_type_id)
    session.add_all([fitted, removed])
    session.flush()
    now = fleet.now
    session.add_all(
        [
            PartProductLinker(part_id=fitted.part_id, product_imei=fleet.full.product_imei, date_added=now),
            PartProductLinker(
                part_id=removed.part_id,
                product_imei=fleet.full.product_imei,
                date_added=now - timedelta(days=90),
                date_removed=now,
            ),
        ]
    )
    session.commit()
    return networks


def networks_of(api, auth, imei, status=200, **params):
    response = api.get(f"/v1/products/{imei}/available_networks", params=params, headers=auth)
    assert response.status_code == status, response.text
    return assert_conforms(response, "/v1/products/{imei}/available_networks")


@pytest.fixture(scope="module")
def overview(fleet_session):
    return headers(fleet_session, Permission.OVERVIEW)


def test_networks_per_mcc(api, overview, fleet, sims):
    rwanda = networks_of(api, overview, fleet.full.product_imei, mcc="635")
    assert rwanda["status"] == "success"
    # the removed Eseye SIM's Rwanda Tigo is not the unit's; sorted by name as in the doc
    assert rwanda["data"] == {
        "networks": [serializer_for(Network).from_object(sims[k]) for k in ("airtel", "mtn")]
    }
    assert rwanda["data"]["networks"][0] | {"created_at": None, "created_by": None} == {
        "mcc": 635,
        "mccmnc": 63514,
        "mnc": 14,
        "name": "Rwanda Airtel",
        "created_at": None,
        "created_by": None,
        "modified_at": None,
        "modified_by": None,
    }
    kenya = networks_of(api, overview, fleet.full.product_imei, mcc="639")
    assert [n["name"] for n in kenya["data"]["networks"]] == ["Kenya Safaricom"]
    assert networks_of(api, overview, fleet.full.product_imei, mcc="640")["data"] == {"networks": []}


def test_a_unit_without_sim_can_use_no_network(api, overview, fleet, sims):
    assert networks_of(api, overview, fleet.bare.product_imei, mcc="635")["data"] == {"networks": []}


@pytest.mark.parametrize(
    "params", [{}, {"mcc": ""}, {"mcc": "63"}, {"mcc": "6350"}, {"mcc": "abc"}, {"mcc": "-35"}]
)
def test_missing_or_malformed_mcc_is_400(api, overview, fleet, params):
    body = networks_of(api, overview, fleet.full.product_imei, status=400, **params)
    assert set(body["validation_errors"]) == {"mcc"}


def test_scope_and_unknown_units(api, fleet_session, fleet, sims):
    entity_b_user = headers(fleet_session, Permission.OVERVIEW, fleet.entity_b)
    assert (
        networks_of(api, entity_b_user, fleet.full.product_imei, status=404, mcc="635")["status"] == "error"
    )
    assert networks_of(api, entity_b_user, "999999999999999", status=404, mcc="635")["status"] == "error"
    unlinked = make_product(fleet_session)
    assert networks_of(api, entity_b_user, unlinked.product_imei, status=404, mcc="635")

"""Flask-Restless 0.17's search tests (tests/test_search.py and the search cases of test_views.py),
ported onto our tables on PostgreSQL.

0.17's people (name, age, other) are networks (name, mcc, mnc); its people and their computers
(name, vendor) are entities and their hubs (name, longitude)."""

from __future__ import annotations

import json

import pytest

from db.models.history import Network
from db.models.organisation import Entity, Hub
from tests.utils.factories import make_product, make_product_type

PEOPLE = [("Lincoln", 23, 22), ("Mary", 19, 19), ("Lucy", 25, 20), ("Katy", 7, 10), ("John", 28, 10)]
LIKE_Y = {"name": "name", "val": "%y%", "op": "like"}


def search(api, headers, path, q=None, **params):
    if q is not None:
        params["q"] = json.dumps(q)
    return api.get(path, params=params, headers=headers)


def names(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [obj["name"] for obj in response.json()["objects"]]


def networks(api, headers, *filters, **q):
    return names(search(api, headers, "/v1/networks", {"filters": list(filters), **q}))


@pytest.fixture
def people(db):
    db.add_all(Network(name=name, mcc=age, mnc=other) for name, age, other in PEOPLE)
    db.commit()


@pytest.fixture
def computers(db):
    """0.17's has/any set-up: c1-c3 belong to Lincoln, c4 to Mary, c5-c6 to Lucy."""
    owners = [Entity(name=name, bboxx_company_flag=False) for name, _, _ in PEOPLE]
    db.add_all(owners)
    db.flush()
    lincoln, mary, lucy = owners[:3]
    vendors = [
        (lincoln, "foo"),
        (lincoln, "bar"),
        (lincoln, "bar"),
        (mary, "bar"),
        (lucy, "foo"),
        (lucy, "foo"),
    ]
    for n, (owner, vendor) in enumerate(vendors, 1):
        db.add(Hub(name=f"c{n}", longitude=vendor, entity_id=owner.entity_id))
    db.commit()


def test_empty_search_returns_everything_by_primary_key(api, system, people):
    assert networks(api, system) == [p[0] for p in PEOPLE]


def test_basic_query(api, system, people):
    assert sorted(networks(api, system, LIKE_Y)) == ["Katy", "Lucy", "Mary"]
    assert networks(api, system, {"name": "name", "val": "Lincoln", "op": "equals"}) == ["Lincoln"]
    assert networks(api, system, {"name": "name", "val": "Bogus", "op": "equals"}) == []
    ordered = search(api, system, "/v1/networks", {"order_by": [{"field": "mcc", "direction": "asc"}]})
    assert [o["mcc"] for o in ordered.json()["objects"]] == [7, 19, 23, 25, 28]
    chosen = search(api, system, "/v1/networks", {"filters": [{"name": "mcc", "val": [7, 28], "op": "in"}]})
    assert [o["mcc"] for o in chosen.json()["objects"]] == [7, 28]


@pytest.mark.parametrize(
    ("ops", "val", "expected"),
    [
        (("==", "eq", "equals", "equal_to", "equals_to"), "Lincoln", ["Lincoln"]),
        (("!=", "ne", "neq", "not_equal_to", "does_not_equal"), "Lincoln", ["Mary", "Lucy", "Katy", "John"]),
    ],
)
def test_equality_operators_and_aliases(api, system, people, ops, val, expected):
    for op in ops:
        assert networks(api, system, {"name": "name", "op": op, "val": val}) == expected, op


@pytest.mark.parametrize(
    ("ops", "val", "count"),
    [
        ((">", "gt"), 20, 3),
        (("<", "lt"), 20, 2),
        ((">=", "ge", "gte", "geq"), 23, 3),
        (("<=", "le", "lte", "leq"), 23, 3),
    ],
)
def test_order_operators_and_aliases(api, system, people, ops, val, count):
    for op in ops:
        assert len(networks(api, system, {"name": "mcc", "op": op, "val": val})) == count, op


def test_like_ilike_in_not_in(api, system, people):
    assert len(networks(api, system, {"name": "name", "op": "like", "val": "%y%"})) == 3
    assert networks(api, system, {"name": "name", "op": "like", "val": "%Y%"}) == []
    assert len(networks(api, system, {"name": "name", "op": "ilike", "val": "%Y%"})) == 3
    assert len(networks(api, system, {"name": "mcc", "op": "in", "val": [19, 21, 23]})) == 2
    assert len(networks(api, system, {"name": "mcc", "op": "not_in", "val": [19, 21, 23]})) == 3


def test_is_null_and_is_not_null(api, system, db):
    # 0.17: four people without a birth date, one with.
    db.add_all(
        Entity(name=f"e{n}", bboxx_company_flag=False, tariff="T1" if n == 0 else None) for n in range(5)
    )
    db.commit()
    empty = search(api, system, "/v1/entities", {"filters": [{"name": "tariff", "op": "is_null"}]})
    assert empty.json()["num_results"] == 4
    # The doc writes them with an empty val, which is ignored.
    set_ = search(
        api, system, "/v1/entities", {"filters": [{"name": "tariff", "op": "is_not_null", "val": ""}]}
    )
    assert names(set_) == ["e0"]


def test_comparing_two_fields(api, system, people):
    # 0.17: age <= other, ordered by other.
    q = {"filters": [{"name": "mcc", "op": "lte", "field": "mnc"}], "order_by": [{"field": "mnc"}]}
    found = search(api, system, "/v1/networks", q).json()["objects"]
    assert [o["mnc"] for o in found] == [10, 19]
    # The doc spells the second field "fieldname".
    doc_form = {"filters": [{"name": "mcc", "op": "equals_to", "fieldname": "mnc"}]}
    assert names(search(api, system, "/v1/networks", doc_form)) == ["Mary"]


def test_or_and_nesting(api, system, people):
    formula = {
        "or": [
            {"and": [LIKE_Y, {"name": "mcc", "op": "ge", "val": 10}]},
            {"name": "name", "op": "eq", "val": "John"},
        ]
    }
    assert networks(api, system, formula) == ["Mary", "Lucy", "John"]
    # Top-level filters are ANDed.
    assert networks(api, system, LIKE_Y, {"name": "mcc", "op": "lt", "val": 10}) == ["Katy"]
    assert networks(
        api,
        system,
        {
            "and": [
                LIKE_Y,
                {"or": [{"name": "mcc", "op": "lt", "val": 10}, {"name": "mnc", "op": "eq", "val": 19}]},
            ]
        },
    ) == ["Mary", "Katy"]


def test_has_and_any_with_a_scalar_val(api, system, computers):
    # 'any' over a collection: people with a computer from vendor foo.
    any_ = search(
        api, system, "/v1/entities", {"filters": [{"name": "hubs__longitude", "op": "any", "val": "foo"}]}
    )
    assert names(any_) == ["Lincoln", "Lucy"]
    # 'has' on a single related row: computers owned by Lincoln.
    has = search(
        api, system, "/v1/hubs", {"filters": [{"name": "entity__name", "op": "has", "val": "Lincoln"}]}
    )
    assert names(has) == ["c1", "c2", "c3"]
    # 0.17's test_query_related_field: single with any on computers__name.
    one = search(
        api,
        system,
        "/v1/entities",
        {"single": True, "filters": [{"name": "hubs__name", "op": "any", "val": "c4"}]},
    )
    assert one.json()["name"] == "Mary"


def test_has_and_any_with_a_filter_as_val(api, system, computers):
    vendor_o = {"name": "longitude", "op": "like", "val": "%o%"}
    any_ = search(api, system, "/v1/entities", {"filters": [{"name": "hubs", "op": "any", "val": vendor_o}]})
    assert len(names(any_)) == 2
    lincoln_like = {"name": "name", "op": "like", "val": "%incol%"}
    has = search(api, system, "/v1/hubs", {"filters": [{"name": "entity", "op": "has", "val": lincoln_like}]})
    assert len(names(has)) == 3


def test_has_and_any_nested(api, system, computers):
    inner = {"name": "entity", "op": "has", "val": {"name": "name", "op": "like", "val": "%incol%"}}
    people_ = search(api, system, "/v1/entities", {"filters": [{"name": "hubs", "op": "any", "val": inner}]})
    assert len(names(people_)) == 1
    inner = {"name": "hubs", "op": "any", "val": {"name": "longitude", "op": "like", "val": "%o%"}}
    hubs = search(api, system, "/v1/hubs", {"filters": [{"name": "entity", "op": "has", "val": inner}]})
    assert len(names(hubs)) == 5


def test_relation_field_with_a_comparison_and_relation_null_tests(api, system, computers):
    # Beyond 0.17: any operator on relation__field, and is_null / is_not_null on a relation.
    q = {"filters": [{"name": "entity__name", "op": "in", "val": ["Mary", "Lucy"]}]}
    assert names(search(api, system, "/v1/hubs", q)) == ["c4", "c5", "c6"]
    without = search(api, system, "/v1/entities", {"filters": [{"name": "hubs", "op": "is_null"}]})
    assert names(without) == ["Katy", "John"]


def test_order_by_a_relation_field(api, system, computers):
    asc = search(api, system, "/v1/hubs", {"order_by": [{"field": "entity__name", "direction": "asc"}]})
    assert names(asc) == ["c1", "c2", "c3", "c5", "c6", "c4"]
    desc = search(api, system, "/v1/hubs", {"order_by": [{"field": "entity__name", "direction": "desc"}]})
    assert names(desc) == ["c4", "c5", "c6", "c1", "c2", "c3"]
    # Through a collection each row appears once, placed by its largest (desc) related value.
    q = {
        "filters": [{"name": "hubs", "op": "is_not_null"}],
        "order_by": [{"field": "hubs__name", "direction": "desc"}],
    }
    assert names(search(api, system, "/v1/entities", q)) == ["Lucy", "Mary", "Lincoln"]


def test_order_and_group_by_a_boolean_of_a_collection(api, system, db):
    payg, other = make_product_type(db, "payg"), make_product_type(db, "other")
    make_product(db, product_type=payg, is_payg=True)
    make_product(db, product_type=other, is_payg=False)
    q = {"order_by": [{"field": "products__is_payg", "direction": "desc"}]}
    assert names(search(api, system, "/v1/product_types", q)) == ["payg", "other"]
    grouped = search(api, system, "/v1/product_types", {"group_by": [{"field": "products__is_payg"}]})
    assert names(grouped) == ["payg", "other"]


def test_group_by(api, system, people, computers):
    grouped = search(api, system, "/v1/networks", {"group_by": [{"field": "mnc"}]})
    assert names(grouped) == ["Lincoln", "Mary", "Lucy", "Katy"]  # John shares Katy's mnc
    by_owner = search(api, system, "/v1/hubs", {"group_by": [{"field": "entity__name"}]})
    assert names(by_owner) == ["c1", "c4", "c5"]


def test_single(api, system, people):
    many = search(api, system, "/v1/networks", {"single": True, "filters": [LIKE_Y]})
    assert many.status_code == 400
    assert many.json()["message"] == "Multiple results found"
    none = search(
        api,
        system,
        "/v1/networks",
        {"single": True, "filters": [{"name": "name", "val": "bogusname", "op": "=="}]},
    )
    assert none.status_code == 404
    assert none.json()["message"] == "No result found"
    one = search(
        api,
        system,
        "/v1/networks",
        {"single": True, "filters": [{"name": "name", "val": "Lincoln", "op": "=="}]},
    )
    assert one.status_code == 200
    assert one.json()["name"] == "Lincoln" and "objects" not in one.json()
    # 0.17's test_search2: single over everything is many; limit 1 makes it one.
    assert search(api, system, "/v1/networks", {"single": True}).status_code == 400
    assert (
        search(api, system, "/v1/networks", {"single": True, "limit": 1, "offset": 1}).json()["name"]
        == "Mary"
    )


@pytest.fixture
def twenty_five(db):
    db.add_all(Network(name=f"person{n}", mcc=n) for n in range(25))
    db.commit()


def page(api, system, q=None, **params):
    response = search(api, system, "/v1/networks", q, **params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"total_pages", "objects", "num_results", "page"}
    return body


def test_pagination(api, system, twenty_five):
    first = page(api, system)
    assert (first["page"], len(first["objects"]), first["total_pages"], first["num_results"]) == (
        1,
        10,
        3,
        25,
    )
    third = page(api, system, page=3)
    assert (third["page"], len(third["objects"]), third["total_pages"]) == (3, 5, 3)
    small = page(api, system, page=3, results_per_page=5)
    assert (len(small["objects"]), small["total_pages"]) == (5, 5)
    assert [o["mcc"] for o in small["objects"]] == [10, 11, 12, 13, 14]
    assert page(api, system, page=4)["objects"] == []
    assert len(page(api, system, results_per_page=0)["objects"]) == 10  # non-positive: the default


def test_limit_and_offset_come_before_pagination(api, system, twenty_five):
    one = page(api, system, {"limit": 1, "offset": 1})
    assert [o["name"] for o in one["objects"]] == ["person1"] and one["num_results"] == 1
    cut = page(api, system, {"limit": 12, "offset": 5}, results_per_page=5, page=3)
    assert (cut["num_results"], cut["total_pages"]) == (12, 3)
    assert [o["mcc"] for o in cut["objects"]] == [15, 16]
    tail = page(api, system, {"offset": 20})
    assert tail["num_results"] == 5 and [o["mcc"] for o in tail["objects"]] == [20, 21, 22, 23, 24]
    beyond = page(api, system, {"offset": 30})
    assert (beyond["num_results"], beyond["objects"], beyond["total_pages"]) == (0, [], 0)
    ordered = page(api, system, {"limit": 3, "order_by": [{"field": "mcc", "direction": "desc"}]})
    assert [o["mcc"] for o in ordered["objects"]] == [24, 23, 22]
    # As in 0.17, a zero limit or offset means none.
    assert page(api, system, {"limit": 0, "offset": 0})["num_results"] == 25


def test_results_per_page_is_clamped_to_1000(api, system, db):
    db.add_all(Network(name=f"n{n}") for n in range(1005))
    db.commit()
    body = page(api, system, results_per_page=5000)
    assert (len(body["objects"]), body["total_pages"], body["num_results"]) == (1000, 2, 1005)


def test_date_values_are_parsed(api, system, people, db):
    made = db.query(Network).filter_by(name="Mary").one()
    stamp = made.created_at.isoformat()
    exact = search(
        api, system, "/v1/networks", {"filters": [{"name": "created_at", "op": "==", "val": stamp}]}
    )
    assert "Mary" in names(exact)
    # With a zone: converted to UTC, as the database keeps it.
    zoned = made.created_at.replace(microsecond=0).isoformat() + "+02:00"
    later = search(
        api, system, "/v1/networks", {"filters": [{"name": "created_at", "op": "lt", "val": zoned}]}
    )
    assert names(later) == []
    day = search(
        api,
        system,
        "/v1/networks",
        {"filters": [{"name": "created_at", "op": "gte", "val": made.created_at.date().isoformat()}]},
    )
    assert len(names(day)) == 5
    texty = search(
        api,
        system,
        "/v1/networks",
        {"filters": [{"name": "created_at", "op": "like", "val": f"{made.created_at:%Y-%m-%d}%"}]},
    )
    assert len(names(texty)) == 5


BAD_QUERIES = {
    "not JSON": "Test",
    "not an object": "[1, 2]",
    "unknown key": json.dumps({"filter": []}),
    "filters not a list": json.dumps({"filters": {"name": "name"}}),
    "missing val": json.dumps({"filters": [{"name": "name", "op": "=="}]}),
    "null val": json.dumps({"filters": [{"name": "name", "op": "==", "val": None}]}),
    "missing op": json.dumps({"filters": [{"name": "name", "val": "Test"}]}),
    "missing name": json.dumps({"filters": [{"op": "==", "val": "Test"}]}),
    "unknown field": json.dumps({"filters": [{"name": "age", "op": "==", "val": 1}]}),
    "unknown op": json.dumps({"filters": [{"name": "name", "op": "~=", "val": "x"}]}),
    "wrong type": json.dumps({"filters": [{"name": "mcc", "val": "It should not be a string", "op": "gt"}]}),
    "integer too big": json.dumps({"filters": [{"name": "mcc", "val": 2**40, "op": "gt"}]}),
    "bad date": json.dumps({"filters": [{"name": "created_at", "val": "yesterday", "op": "gt"}]}),
    "in needs a list": json.dumps({"filters": [{"name": "mcc", "val": 3, "op": "in"}]}),
    "has on a field": json.dumps({"filters": [{"name": "name", "val": "x", "op": "has"}]}),
    "unknown other field": json.dumps({"filters": [{"name": "mcc", "op": "<", "field": "nope"}]}),
    "fields of different kinds": json.dumps({"filters": [{"name": "mcc", "op": "<", "field": "name"}]}),
    "or not a list": json.dumps({"filters": [{"or": {"name": "name"}}]}),
    "too deep": json.dumps({"filters": [json.loads('{"or": [' * 40 + "{}" + "]}" * 40)]}),
    "order_by unknown field": json.dumps({"order_by": [{"field": "nope"}]}),
    "order_by bad direction": json.dumps({"order_by": [{"field": "name", "direction": "up"}]}),
    "order_by not a list": json.dumps({"order_by": "name"}),
    "group_by without field": json.dumps({"group_by": [{"name": "name"}]}),
    "NUL in a value": json.dumps({"filters": [{"name": "name", "op": "==", "val": "a\u0000b"}]}),
    "pattern not text": json.dumps({"filters": [{"name": "name", "op": "like", "val": ["a"]}]}),
    "NUL in a pattern": json.dumps({"filters": [{"name": "name", "op": "like", "val": "a\u0000%"}]}),
    "order_by a JSON field": json.dumps({"order_by": [{"field": "parameter_types"}]}),
    "negative limit": json.dumps({"limit": -1}),
    "limit not an integer": json.dumps({"limit": "5"}),
    "offset not an integer": json.dumps({"offset": 1.5}),
}


@pytest.mark.parametrize("q", BAD_QUERIES.values(), ids=BAD_QUERIES.keys())
def test_bad_arguments_are_400_in_the_envelope(api, system, people, q):
    path = "/v1/product_types" if "parameter_types" in q else "/v1/networks"
    response = api.get(path, params={"q": q}, headers=system)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["status"] == "error" and body["message"]
    assert "q" in body["validation_errors"]


@pytest.mark.parametrize("params", [{"page": "two"}, {"page": "0"}, {"results_per_page": "many"}])
def test_bad_page_arguments_are_400(api, system, params):
    response = api.get("/v1/networks", params=params, headers=system)
    assert response.status_code == 400
    assert response.json()["status"] == "validation-error"


def test_hidden_columns_cannot_be_queried(api, system, db):
    # subscriber.key is hidden everywhere: unknown as a field, so it cannot be probed with like.
    q = {"filters": [{"name": "key", "op": "like", "val": "a%"}]}
    assert api.get("/v1/subscribers", params={"q": json.dumps(q)}, headers=system).status_code == 400
    q = {"filters": [{"name": "device_key", "op": "is_null"}]}
    assert api.get("/v1/products", params={"q": json.dumps(q)}, headers=system).status_code == 400

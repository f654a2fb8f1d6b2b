"""The doc's own examples, as written: POST payload -> 201 and the doc's body, PUT -> 200 with
`modified_at` set, GET -> the same object, DELETE -> 204 with an empty body."""

from __future__ import annotations

from datetime import datetime

import pytest

from api.tables.registry import table_endpoints
from domain.permissions import Permission
from domain.tables.columns import table_info
from tests.api.tables.doc_examples import DOC_EXAMPLES
from tests.api.tables.rows import make_row
from tests.utils.factories import make_user, token_for


def _model(path: str):
    return next(endpoint.model for endpoint in table_endpoints() if f"/v1{endpoint.path}" == path)


def _prepare_parents(db, example) -> None:
    """The rows the example's foreign keys point at (ids 1 and 2 on a fresh database)."""
    info = table_info(_model(example["path"]))
    for key, target in info.foreign_keys.items():
        wanted = {payload[key] for payload in (example["post"], example["put"]) if key in payload}
        for value in sorted(wanted, key=str):
            make_row(db, target.table.name, **({target.key: value} if not isinstance(value, int) else {}))


def _assert_matches_doc(body: dict, documented: dict) -> None:
    assert set(documented) <= set(body)
    for key, value in documented.items():
        if key in ("created_at", "modified_at"):
            # The doc shows a sample time; ours is the real one, in ISO 8601.
            assert (body[key] is None) == (value is None), key
            if body[key] is not None:
                datetime.fromisoformat(body[key])
        else:
            assert body[key] == value, key


@pytest.mark.parametrize("example", DOC_EXAMPLES, ids=[e["path"] for e in DOC_EXAMPLES])
def test_doc_example(api, db, example):
    # The doc's examples were made by this user: created_by must come out the same.
    user = make_user(db, Permission.SYSTEM, username="test.user@bboxx.co.uk")
    headers = {"Authorization": f"Token token={token_for(db, user)}"}
    _prepare_parents(db, example)
    path, info = example["path"], table_info(_model(example["path"]))

    created = api.post(path, json=example["post"], headers=headers)
    assert created.status_code == 201, created.text
    _assert_matches_doc(created.json(), example["created"])
    pk = created.json()[info.pk_key]

    updated = api.put(f"{path}/{pk}", json=example["put"], headers=headers)
    assert updated.status_code == 200, updated.text
    _assert_matches_doc(updated.json(), example["updated"])
    assert updated.json()["modified_by"] == "test.user@bboxx.co.uk"
    assert updated.json()["created_at"] == created.json()["created_at"]

    fetched = api.get(f"{path}/{pk}", headers=headers)
    assert fetched.status_code == 200
    assert fetched.json() == updated.json()

    deleted = api.delete(f"{path}/{pk}", headers=headers)
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert api.get(f"{path}/{pk}", headers=headers).status_code == 404


def test_at_least_ten_tables_have_doc_examples():
    assert len({example["path"] for example in DOC_EXAMPLES}) >= 10

"""Every table route is in /docs with typed request and response schemas."""

from __future__ import annotations

from api.tables.registry import table_endpoints


def test_every_table_route_has_typed_schemas(table_app):
    spec = table_app.openapi()
    paths, components = spec["paths"], spec["components"]["schemas"]
    for endpoint in table_endpoints():
        collection = f"/v1{endpoint.path}"
        items = [
            p for p in paths if p.startswith(collection + "/{") and p.count("/") == collection.count("/") + 1
        ]
        assert len(items) == 1, collection
        item = items[0]
        operations = {("GET", collection), ("GET", item)}
        for method, path in [("POST", collection), ("PUT", item), ("DELETE", item)]:
            if endpoint.permissions[method]:
                operations.add((method, path))
        for method, path in operations:
            operation = paths[path][method.lower()]
            ok = operation["responses"][str(201 if method == "POST" else 204 if method == "DELETE" else 200)]
            if method != "DELETE":
                schema = ok["content"]["application/json"]["schema"]
                if "$ref" in schema:
                    schema = components[schema["$ref"].rsplit("/", 1)[1]]
                assert "properties" in schema or "anyOf" in schema, (method, path)
            if method in ("POST", "PUT"):
                ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                assert components[ref.rsplit("/", 1)[1]]["properties"] is not None
            if path == item:
                assert any(p["in"] == "path" for p in operation["parameters"]), (method, path)
        list_params = {p["name"] for p in paths[collection]["get"]["parameters"]}
        assert {"q", "page", "results_per_page"} <= list_params
        # Methods the spec marks null are not documented (they answer 405).
        for method in ("POST", "PUT", "DELETE"):
            if not endpoint.permissions[method]:
                path = collection if method == "POST" else item
                assert method.lower() not in paths.get(path, {}), (method, path)


def test_request_schemas_hide_system_columns_and_secrets(table_app):
    components = table_app.openapi()["components"]["schemas"]
    create = components["ActionTypeCreate"]
    assert set(create["properties"]) == {"name", "description", "label"}
    assert set(create["required"]) == {"name", "label"}
    row = table_app.openapi()["paths"]["/v1/subscribers/{subscriber_id}"]["get"]["responses"]["200"]
    assert "key" not in row["content"]["application/json"]["schema"]["properties"]

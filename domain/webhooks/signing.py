"""The headers of one webhook POST. The key is derived here, used, and dropped: never logged nor returned."""

from __future__ import annotations

from domain.webhooks.delivery_log import SendJob
from domain.webhooks.keys import doc_signature, subscriber_key, timestamped_signature

USER_AGENT = "SMARTSolar-Webhooks/1.0"


def signed_headers(job: SendJob, body: bytes, timestamp: int) -> dict[str, str]:
    """The doc's `X-BBOXX-Signature`, plus a timestamped SHA-256 signature and the stable delivery id."""
    if job.key_salt is None:
        raise ValueError("a delivery without a subscriber cannot be signed")
    key = subscriber_key(job.key_salt)
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-BBOXX-Signature": doc_signature(key, body, job.url),
        "X-BBOXX-Signature-256": timestamped_signature(key, body, timestamp),
        "X-BBOXX-Delivery": job.delivery_uuid,
    }

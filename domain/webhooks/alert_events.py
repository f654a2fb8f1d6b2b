"""product-alert: every alert created or changed through the ORM is published, whoever changes it.

The doc's product-alert channel carries "updates to SMART Solar alert data", and alerts are created
and changed in several places (the generic table API, `PUT /v1/alerts/<id>/dismiss`, repairs). One
flush hook covers them all, in the transaction of the change. Bulk `UPDATE` statements bypass it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, SessionTransaction

from db.models.alert import Alert
from domain.events import PRODUCT_ALERT, publish
from domain.webhooks.payloads import alert_data

_CHANGED = "webhooks.alerts_changed"


def _collect_changed_alerts(session: Session, _flush_context) -> None:
    # new/dirty still describe what this flush wrote; the alerts get their ids only after it.
    changed = [obj for obj in session.new if isinstance(obj, Alert)]
    changed += [
        obj
        for obj in session.dirty
        if isinstance(obj, Alert) and session.is_modified(obj, include_collections=False)
    ]
    if changed:
        session.info.setdefault(_CHANGED, []).extend(changed)


def _publish_changed_alerts(session: Session, _flush_context) -> None:
    # Rows added here are written by the next flush, which `commit()` runs before committing.
    for alert in dict.fromkeys(session.info.pop(_CHANGED, [])):
        publish(session, PRODUCT_ALERT, alert_data(alert), product_imei=alert.product_imei)


def _forget_changed_alerts(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # a failed flush must not publish its alerts in the next transaction
        session.info.pop(_CHANGED, None)


# Installed on every Session by `domain.webhooks.hooks.install_session_hooks` (the app and the worker).
HOOKS = [
    ("after_flush", _collect_changed_alerts),
    ("after_flush_postexec", _publish_changed_alerts),
    ("after_transaction_end", _forget_changed_alerts),
]

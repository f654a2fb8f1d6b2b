"""Steps the end-to-end webhook tests share: subscribe a receiver, publish a final balance, read the log."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models.credit import FinalBalance, PaymentCommand
from db.models.product import Product
from db.models.webhooks import WebhookDelivery
from db.session import get_sessionmaker
from domain.events import DCM, publish
from domain.webhooks.payloads import final_balance_data
from tests.utils.waiting import eventually
from tests.webhooks.receiver import WebhookReceiver


async def subscribe(http, headers, receiver: WebhookReceiver, channel: str, path: str) -> str:
    """Subscribe `path` on the receiver and hand it the key, as a subscriber would store it."""
    url = receiver.url(path)
    response = await http.post(f"/v1/channels/{channel}/subscribe", json={"url": url}, headers=headers)
    assert response.status_code == 201, response.text
    receiver.keys[url] = response.json()["data"]["key"]
    return url


def publish_final_balance(session: Session, product: Product, balance: int = 1234) -> FinalBalance:
    """What the DCM code does when a unit answers a zero-command: store the final balance, publish it."""
    zero = PaymentCommand(
        product_imei=product.product_imei,
        value=0,
        category="zero-command",
        void=False,
        transaction_id=f"zero-{product.product_imei}-{balance}",
    )
    session.add(zero)
    session.flush()
    final = FinalBalance(
        product_imei=product.product_imei,
        final_balance=balance,
        total_added=5000,
        zero_command_id=zero.payment_command_id,
        status="received",
    )
    session.add(final)
    session.flush()
    publish(session, DCM, final_balance_data(final), product_imei=product.product_imei)
    session.commit()
    return final


def delivery_rows() -> list[WebhookDelivery]:
    with get_sessionmaker()() as session:
        return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.webhook_delivery_id)))


def only_delivery() -> WebhookDelivery:
    rows = delivery_rows()
    assert len(rows) == 1, rows
    return rows[0]


async def run_result(client, delivery_uuid: str, run_number: int = 1):
    """Wait for the dispatcher to start that run (after commit, in the background), then for its result."""
    await eventually(
        lambda: any(
            d.delivery_uuid == delivery_uuid and d.run_number == run_number and d.dispatched_at
            for d in delivery_rows()
        )
    )
    return await client.get_workflow_handle(f"webhook/{delivery_uuid}/{run_number}").result()

"""Steps the DCM tests share: a DCM unit with its simulated twin, commands through the API, rows read back."""

from __future__ import annotations

from sqlalchemy import func, select

from db.models.credit import Balance, FinalBalance, PaymentCommand
from db.session import get_sessionmaker
from simulator.unit import SimulatedUnit
from tests.utils.factories import make_product, make_software, run_software


def dcm_unit(db, **fields):
    """A DCM-enabled product running 2.0 (no wake-ups), and the simulated unit that holds its key."""
    product = make_product(db, dcm_enabled_flag=True, **fields)
    make_software(db, "2.0")
    run_software(db, product, "2.0")
    return product, SimulatedUnit(
        imei=product.product_imei, device_key=product.raw_device_key, software="2.0"
    )


async def add(stack, headers, imei: str, category: str, value, transaction_id: str):
    body = {"value": value, "category": category, "transaction_id": transaction_id}
    return await stack.http.post(f"/v1/products/{imei}/add_payment_command", json=body, headers=headers)


def commands(imei: str) -> list[tuple[str, str, int, str | None, bool]]:
    """(transaction_id, category, value, status, void), oldest first."""
    with get_sessionmaker()() as session:
        rows = session.scalars(
            select(PaymentCommand)
            .where(PaymentCommand.product_imei == imei)
            .order_by(PaymentCommand.payment_command_id)
        )
        return [(c.transaction_id, c.category, c.value, c.status, c.void) for c in rows]


def command_count() -> int:
    with get_sessionmaker()() as session:
        return session.scalar(select(func.count()).select_from(PaymentCommand))


def balance(imei: str) -> Balance | None:
    with get_sessionmaker()() as session:
        return session.scalar(select(Balance).where(Balance.product_imei == imei))


def final_balances(imei: str) -> list[FinalBalance]:
    with get_sessionmaker()() as session:
        return list(
            session.scalars(
                select(FinalBalance)
                .where(FinalBalance.product_imei == imei)
                .order_by(FinalBalance.final_balance_id)
            )
        )


async def workflow_done(stack, imei: str) -> None:
    await stack.client.get_workflow_handle(f"device/{imei}").result()


async def workflow_status(stack, imei: str):
    from workflows.device import DeviceWorkflow

    return await stack.client.get_workflow_handle(f"device/{imei}").query(DeviceWorkflow.status)

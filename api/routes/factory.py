"""The doc's Part Actions (`/parts/create_<family>_pcb`) and the factory's Product Actions
(`/products/create_product/<kind>`, `/products/create_hub2`, `/products/create_enterprise`), FACTORY only.

Each request writes everything or nothing and commits once; the device key is stored as a digest and
shown only in this answer (`Cache-Control: no-store`)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.deps import ClockDep, FactoryUser, SessionDep
from api.schemas.factory import CompactProductCreated, DetailedProductCreated, PcbCreated
from domain.factory.models import OneCallRequest, PcbRequest, ProductRequest
from domain.factory.pcbs import PCB_FAMILIES, PcbFamily, create_pcb
from domain.factory.products import PRODUCT_KINDS, NewProduct, ProductKind, create_product

router = APIRouter(tags=["factory"])
NO_STORE = {"Cache-Control": "no-store"}


def _answer(shape: type[BaseModel], message: str, data: dict, status_code: int = 200) -> JSONResponse:
    # Through the documented shape, so what is sent is what the document says.
    body = shape.model_validate({"message": message, "data": data}).model_dump(mode="json")
    return JSONResponse(body, status_code=status_code, headers=NO_STORE)


def _pcb_route(family: PcbFamily) -> None:
    def create(request: PcbRequest, session: SessionDep, _user: FactoryUser) -> JSONResponse:
        new = create_pcb(session, family, request)
        return _answer(PcbCreated, family.message, new.answer(), family.status_code)

    create.__name__ = f"create_{family.name}_pcb"
    router.post(
        f"/parts/create_{family.name}_pcb",
        response_model=PcbCreated,
        status_code=family.status_code,
        summary=f"Create a {family.name} PCB and its SIM",
    )(create)


def _product_shape(kind: ProductKind) -> type[BaseModel]:
    return DetailedProductCreated if kind.detailed_answer else CompactProductCreated


def _product_answer(new: NewProduct) -> JSONResponse:
    return _answer(_product_shape(new.kind), new.message, new.answer())


def _product_route(kind: ProductKind) -> None:
    def create(
        request: ProductRequest, session: SessionDep, user: FactoryUser, clock: ClockDep
    ) -> JSONResponse:
        return _product_answer(create_product(session, kind, request, user=user.username, now=clock()))

    create.__name__ = f"create_product_{kind.name}"
    router.post(
        f"/products/create_product/{kind.name}",
        response_model=_product_shape(kind),
        summary=f"Create a {kind.name} product from an existing PCB",
    )(create)


def _one_call_route(kind: ProductKind, family: PcbFamily) -> None:
    def create(
        request: OneCallRequest, session: SessionDep, user: FactoryUser, clock: ClockDep
    ) -> JSONResponse:
        pcb_request = PcbRequest(**request.model_dump(include=set(PcbRequest.model_fields)))
        create_pcb(session, family, pcb_request)
        product_request = ProductRequest(
            pcb_imei=request.imei,
            battery=request.battery,
            solar_panel_wattage=request.solar_panel_wattage,
            product=request.product,
        )
        new = create_product(
            session, kind, product_request, user=user.username, now=clock(), device_key=request.device_key
        )
        return _product_answer(new)

    create.__name__ = f"create_{kind.name}"
    router.post(
        f"/products/create_{kind.name}",
        response_model=_product_shape(kind),
        summary=f"Create a {family.name} PCB and a {kind.name} product from it in one call",
    )(create)


for _family in PCB_FAMILIES.values():
    _pcb_route(_family)
for _kind in PRODUCT_KINDS.values():
    _product_route(_kind)
# "a convenience endpoint which is equivalent to calling /parts/create_hyena_pcb followed by ..."
for _name in ("hub2", "enterprise"):
    _one_call_route(PRODUCT_KINDS[_name], PCB_FAMILIES["hyena"])

"""Every table of the SMARTSolar schema; importing this registers them all on `Base.metadata`."""

from db.base import Base
from db.models import (  # noqa: F401
    alert,
    appliance,
    credit,
    history,
    indexes,
    organisation,
    owed_reports,
    parts,
    product,
    repair,
    rtc,
    software,
    telemetry,
    user,
    webhooks,
)

MODELS_BY_TABLE = {mapper.class_.__tablename__: mapper.class_ for mapper in Base.registry.mappers}

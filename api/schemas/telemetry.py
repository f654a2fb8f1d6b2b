"""Product data: the tool log a factory or repair tool uploads, and the telemetry a read answers."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr

from api.schemas.envelope import Envelope
from domain.telemetry.tool_logs import MAX_TEXT, PERMITTED

LongText = Annotated[StrictStr, Field(max_length=MAX_TEXT)]
# A tool's field: which fields a tool may send is checked against the doc's table (a 400 names the others).
ToolValue = StrictBool | StrictInt | StrictFloat | LongText


class ToolLog(BaseModel):
    """The doc's upload_tool_log body: `time`, `message`, `toolname`, and the fields that tool sends."""

    model_config = ConfigDict(extra="forbid")

    time: StrictInt | StrictFloat | Annotated[StrictStr, Field(max_length=64)] = Field(
        description="Milliseconds since the epoch (a number or digits), or a date-time (no zone: UTC)",
        examples=["2020-11-05T10:25:30Z"],
    )
    message: LongText
    toolname: Literal[tuple(PERMITTED)]
    product_imei: Annotated[StrictStr, Field(pattern=r"^\d{0,15}$")] = None
    jig_id: ToolValue = None
    machine_id: ToolValue = None
    hostname: ToolValue = None
    user: ToolValue = None
    software_version: ToolValue = None
    control_board_revision: ToolValue = None
    passed: ToolValue = None
    serial_number: ToolValue = None
    count: ToolValue = None


Value = StrictBool | StrictInt | StrictFloat | StrictStr | None
InfluxTime = Annotated[
    str,
    Field(
        pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$",
        description="UTC as InfluxDB writes it (`Z`, up to nanoseconds)",
        examples=["2016-01-01T00:00:00Z"],
    ),
]


class Points(BaseModel):
    """The doc's telemetry answer: `measurement`, `tags`, then each field as `[[value, time], ...]`."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, list[tuple[Value, InfluxTime]]]

    measurement: str
    tags: dict[str, str]


PointsFound = Envelope[Points]

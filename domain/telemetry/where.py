"""The `where` parameter as a small expression tree: comparisons of a field with a number or a quoted
string, joined by `and` / `or`, with parentheses. Backends render the tree; request text never reaches a
query, only the names and values the tree holds, checked against the measurement's fields."""

from __future__ import annotations

from dataclasses import dataclass

from lark import Lark, Transformer, v_args
from lark.exceptions import LarkError

from domain.errors import ValidationFailed
from domain.telemetry import schema
from domain.telemetry.schema import FieldType

MAX_WHERE = 1000

_GRAMMAR = r"""
?start: disjunction
?disjunction: conjunction (_OR conjunction)*  -> any_of
?conjunction: atom (_AND atom)*  -> all_of
?atom: comparison | "(" disjunction ")"
comparison: name OP literal
name: NAME -> bare | DQ -> quoted | SQ -> quoted
literal: NUMBER -> number | SQ -> string
OP: "<=" | ">=" | "!=" | "<>" | "=" | "<" | ">"
_AND: /and\b/i
_OR: /or\b/i
NAME: /(?!(and|or)\b)[A-Za-z_][A-Za-z0-9_-]*/i
DQ: /"[^"\\]*"/
SQ: /'(?:[^'\\]|\\.)*'/
NUMBER: /[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?/
%ignore /\s+/
"""

OPERATORS = {"=", "!=", "<", "<=", ">", ">="}


@dataclass(frozen=True)
class Comparison:
    field: str
    op: str  # one of OPERATORS
    value: float | str


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Expression, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Expression, ...]


Expression = Comparison | AllOf | AnyOf


@v_args(inline=True)
class _ToTree(Transformer):
    def bare(self, token):
        return str(token)

    def quoted(self, token):
        return str(token)[1:-1]

    def number(self, token):
        return float(token)

    def string(self, token):
        text = str(token)[1:-1]
        return text.replace("\\'", "'").replace("\\\\", "\\")

    def comparison(self, name, op, value):
        return Comparison(name, "!=" if op == "<>" else str(op), value)

    def all_of(self, *parts):
        return parts[0] if len(parts) == 1 else AllOf(parts)

    def any_of(self, *parts):
        return parts[0] if len(parts) == 1 else AnyOf(parts)


_PARSER = Lark(_GRAMMAR, parser="lalr", transformer=_ToTree())


def parse(text: str) -> Expression:
    if len(text) > MAX_WHERE:
        raise ValidationFailed(
            f"where: at most {MAX_WHERE} characters", validation_errors={"where": "too long"}
        )
    try:
        return _PARSER.parse(text)
    except LarkError as err:
        raise ValidationFailed(
            "where: comparisons of a field with a number or a 'quoted string', joined by and/or",
            validation_errors={"where": str(err).splitlines()[0][:200]},
        ) from err


def fields_of(expression: Expression) -> set[str]:
    if isinstance(expression, Comparison):
        return {expression.field}
    return set().union(*(fields_of(part) for part in expression.parts))


def check(expression: Expression, types: dict[str, FieldType]) -> None:
    """Every name is a field of the measurement, and each is compared with a value of its kind."""
    for comparison in _comparisons(expression):
        kind = types.get(comparison.field)
        if kind is None or comparison.field in schema.RESERVED_NAMES:
            raise ValidationFailed(
                f"where: {comparison.field!r} is not a field of this measurement",
                validation_errors={"where": comparison.field},
            )
        numeric = isinstance(comparison.value, float)
        if numeric != (kind in schema.NUMERIC) or (not numeric and comparison.op not in ("=", "!=")):
            raise ValidationFailed(
                f"where: field {comparison.field!r} ({kind.value}) cannot be compared that way",
                validation_errors={"where": comparison.field},
            )


def _comparisons(expression: Expression):
    if isinstance(expression, Comparison):
        yield expression
    else:
        for part in expression.parts:
            yield from _comparisons(part)

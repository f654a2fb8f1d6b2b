"""Route matching that skips whole routers by the path's first segment.

FastAPI matches a request by trying every route of every included router in turn, at a few microseconds
each; with the table API's ~320 routes a GET /v1/products tried ~270 routes, and did so more than once per
request (profiled under the benches: half the API's event-loop time). Here each router under `/v1` first
compares the request's first path segment with the ones its routes start with, and the table router is
split into one router per first segment, so a request tries only the routes that can match it. Route
order within a segment is kept, so which route wins is unchanged.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.routing import APIRoute
from starlette._utils import get_route_path
from starlette.routing import Match
from starlette.types import Scope


def _first_segment(path: str, prefix: str) -> str | None:
    """The segment after `prefix` ("" for the prefix itself); None when `path` is not under `prefix`."""
    if path == prefix:
        return ""
    if not path.startswith(prefix + "/"):
        return None
    return path[len(prefix) + 1 :].split("/", 1)[0]


class SegmentIndexedRouter(APIRouter):
    """An APIRouter that answers "no match" at once for a path whose first segment none of its routes has."""

    _segment_prefix: str = ""
    _segments: frozenset[str] | None = None  # None: some route starts with a parameter; always try them

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope.get("type") == "http" and self._segments is not None:
            segment = _first_segment(get_route_path(scope), self._segment_prefix)
            if segment is None or segment not in self._segments:
                return Match.NONE, {}
        return super().matches(scope)

    def _get_routes_version(self, seen: set[int] | None = None) -> int:
        # FastAPI re-reads the version of every nested router on each match, to notice routes added late;
        # these routers are complete once the app is built (their own changes still count).
        return self._routes_version


def index_by_segment(router: APIRouter, prefix: str) -> APIRouter:
    """Make `router` (to be included under `prefix`) reject foreign paths cheaply. Its routes, their order
    and everything they declare stay as they are: only the class's `matches` changes."""
    segments: set[str] = set()
    for route in router.routes:
        segment = _first_segment(route.path, "") if isinstance(route, APIRoute) else None
        if segment is None or "{" in segment:
            return router  # a route this index cannot place: leave the router as FastAPI has it
        segments.add(segment)
    return _indexed(router, prefix, segments)


def _indexed(router: APIRouter, prefix: str, segments: set[str]) -> APIRouter:
    if not isinstance(router, SegmentIndexedRouter):  # the routers are module singletons: apps share them
        router.__class__ = type("Indexed" + type(router).__name__, (SegmentIndexedRouter, type(router)), {})
    router._segment_prefix, router._segments = prefix, frozenset(segments)
    return router


def split_by_segment(router: APIRouter, prefix: str) -> APIRouter:
    """One indexed router per first segment of `router`'s routes (the table API: one per table), grouped by
    the segment's first letter into indexed routers too, so a request tries a few dozen routers at most.
    Segments keep the order in which they first appear."""
    groups: dict[str, list[APIRoute]] = {}
    for route in router.routes:
        segment = _first_segment(route.path, "") if isinstance(route, APIRoute) else None
        if segment is None or "{" in segment:
            return index_by_segment(router, prefix)
        groups.setdefault(segment, []).append(route)
    letters: dict[str, list[str]] = {}
    for segment in groups:
        letters.setdefault(segment[:1], []).append(segment)
    split = APIRouter()
    for segments in letters.values():
        letter = APIRouter()
        for segment in segments:
            part = APIRouter()
            part.routes.extend(groups[segment])
            letter.include_router(_indexed(part, prefix, {segment}))
        split.include_router(_indexed(letter, prefix, set(segments)))
    return split

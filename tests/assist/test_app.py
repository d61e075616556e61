"""The app's routes: each registered once, so the OpenAPI document has unique operations."""

from __future__ import annotations

from collections import Counter

from assist.app import create_app
from assist.settings import Settings


def test_every_route_is_registered_once(settings: Settings) -> None:
    app = create_app(settings)
    routes = Counter(
        (method, route.path)  # type: ignore[attr-defined]
        for route in app.routes
        for method in getattr(route, "methods", None) or ()
    )
    assert [r for r, n in routes.items() if n > 1] == []
    operations = [
        op["operationId"] for path in app.openapi()["paths"].values() for op in path.values()
    ]
    assert len(operations) == len(set(operations))

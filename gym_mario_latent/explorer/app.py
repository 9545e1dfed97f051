"""The explorer's web app: JSON routes over an :class:`~gym_mario_latent.explorer.service.Explorer`, the
page's files (shipped in this package), and errors as one JSON object ``{"error": "..."}``.

Every request body is checked by its model (unknown fields refused, numbers finite and bounded) and is
at most :data:`MAX_BODY_BYTES` long.
"""

from __future__ import annotations

import io
from importlib import resources
from typing import Annotated, Any

from fastapi import FastAPI, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from PIL import Image
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gym_mario_latent.errors import GymMarioLatentError
from gym_mario_latent.explorer.service import MAX_LATENT, MAX_MAP_SIZE, MAX_SEGMENTS, MAX_STEPS, Explorer
from gym_mario_latent.levels import mario_sprites, sprite_sheet, tile_atlas

#: The longest request body accepted (bytes): a level of the most segments of a 256-d latent fits.
MAX_BODY_BYTES = 256 * 1024
#: The longest latent accepted (components).
MAX_Z_DIM = 1024

STATIC = resources.files("gym_mario_latent.explorer") / "static"

Component = Annotated[float, Field(ge=-MAX_LATENT, le=MAX_LATENT, allow_inf_nan=False)]
Latent = Annotated[list[Component], Field(min_length=1, max_length=MAX_Z_DIM)]
AgentName = Annotated[str, Field(min_length=1, max_length=64)]


class Strict(BaseModel):
    """A request body: unknown fields are refused (they catch typos)."""

    model_config = ConfigDict(extra="forbid")


class MapRequest(Strict):
    """A map's plane: cells per side, half-width, center (default: the origin) and two latent axes."""

    size: int = Field(20, ge=2, le=MAX_MAP_SIZE)
    bound: float = Field(3.0, gt=0, le=MAX_LATENT, allow_inf_nan=False)
    center: Latent | None = None
    axes: tuple[int, int] = (0, 1)


class PlayabilityRequest(MapRequest):
    agent: AgentName | None = None


class PlayRequest(Strict):
    """The latents of a level's segments, left to right, and who plays."""

    latents: list[Latent] = Field(min_length=1, max_length=MAX_SEGMENTS)
    agent: AgentName | None = None


class InterpolateRequest(Strict):
    a: Latent
    b: Latent
    steps: int = Field(8, ge=2, le=MAX_STEPS)
    agent: AgentName | None = None
    map_id: Annotated[str, Field(pattern="^[0-9a-f]{1,64}$")] | None = None


class BodyLimit:
    """Answers 413 to a request whose body is longer than `limit` bytes, before the app reads it all."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await JSONResponse({"error": self.message}, 413)(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:  # a body sent in chunks, without its length
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise HTTPException(413, self.message)
            return message

        await self.app(scope, counted, send)

    @property
    def message(self) -> str:
        return f"the request body is longer than {self.limit} bytes"


def _where(location: tuple) -> str:
    parts = [str(part) for part in location if part != "body"]
    return ".".join(parts) or "body"


def _png(image: Image.Image) -> Response:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return Response(buffer.getvalue(), media_type="image/png")


def create_app(explorer: Explorer) -> FastAPI:
    """The web app serving `explorer`."""
    app = FastAPI(title="gym-mario-latent explorer", docs_url=None, redoc_url=None, openapi_url=None)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = error.errors()
        first = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        return JSONResponse({"error": f"{_where(first['loc'])}: {first['msg']}{more}"}, 422)

    @app.exception_handler(GymMarioLatentError)
    async def refused(request: Request, error: GymMarioLatentError) -> JSONResponse:
        return JSONResponse({"error": str(error)}, 400)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        return JSONResponse({"error": str(error.detail)}, error.status_code)

    @app.exception_handler(Exception)
    async def failed(request: Request, error: Exception) -> JSONResponse:
        return JSONResponse({"error": f"internal error ({type(error).__name__}): {error}"}, 500)

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        with resources.as_file(STATIC / "index.html") as path:
            return FileResponse(path, media_type="text/html")

    with resources.as_file(STATIC) as folder:
        app.mount("/static", StaticFiles(directory=folder), name="static")

    @app.get("/api/info")
    def info() -> dict[str, Any]:
        return explorer.info()

    @app.get("/api/archive")
    def archive() -> dict[str, Any]:
        return explorer.archive_view()

    @app.get("/api/tiles.png")
    def tiles() -> Response:
        """Every tile's art, 16 × 16 pixels, left to right in tile-id order."""
        atlas = tile_atlas()
        return _png(Image.fromarray(atlas.transpose(1, 0, 2, 3).reshape(atlas.shape[1], -1, 3)))

    @app.get("/api/mario.png")
    def mario() -> Response:
        """Mario small, large and fire, 16 × 32 pixels each."""
        return _png(mario_sprites())

    @app.get("/api/sprites.png")
    def sprites() -> Response:
        """The other sprites (enemies, shells, power-ups, fireballs), 16 × 32 pixels each, facing right,
        in the order of the sprite trace's kind ids from 1 (``info.sprite_kinds``)."""
        return _png(sprite_sheet())

    @app.post("/api/map")
    def decoded_map(request: MapRequest) -> dict[str, Any]:
        return explorer.decoded_map(
            explorer.map_spec(request.size, request.bound, request.center, request.axes)
        )

    @app.post("/api/playability")
    def start_playability(request: PlayabilityRequest) -> dict[str, Any]:
        spec = explorer.map_spec(request.size, request.bound, request.center, request.axes)
        return explorer.maps.start(spec, explorer.agent(request.agent)).to_json()

    @app.get("/api/playability/{job_id}")
    def playability(job_id: Annotated[str, Path(pattern="^[0-9a-f]{1,64}$")]) -> dict[str, Any]:
        job = explorer.maps.get(job_id)
        if job is None:
            raise HTTPException(404, f"no playability map {job_id!r} was started")
        return job.to_json()

    @app.post("/api/play")
    def play(request: PlayRequest) -> dict[str, Any]:
        return explorer.played_json(explorer.play(request.latents, request.agent))

    @app.post("/api/gif")
    def gif(request: PlayRequest) -> Response:
        return Response(explorer.gif(request.latents, request.agent), media_type="image/gif")

    @app.post("/api/interpolate")
    def interpolate(request: InterpolateRequest) -> dict[str, Any]:
        return explorer.interpolate(request.a, request.b, request.steps, request.agent, request.map_id)

    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    return app

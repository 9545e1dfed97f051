"""The colour layers of the latent map: content measures of each decoded segment (at once), and
behaviour measures of the agent's game on it (once the playability map is computed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from gym_mario_latent.latent import measures as m
from gym_mario_latent.latent.qd_measures import MEASURES
from gym_mario_latent.simulator_bridge import Telemetry


@dataclass(frozen=True)
class ContentLayer:
    """A measure of a segment's tiles (:mod:`gym_mario_latent.latent.measures`)."""

    description: str
    compute: Callable[[Any], float]


#: Content layers by name: the field's measures of a level alone.
CONTENT_LAYERS: dict[str, ContentLayer] = {
    "sky_tiles": ContentLayer("non-empty tiles in the sky rows (LSI)", m.sky_tiles),
    "enemies": ContentLayer("enemy tiles (LSI)", m.enemies),
    "density": ContentLayer("share of non-empty tiles (Smith & Whitehead)", m.density),
    "linearity": ContentLayer("how straight the walkable surface is (Smith & Whitehead)", m.linearity),
    "leniency": ContentLayer("power-ups minus enemies and gaps, per column (Smith & Whitehead)", m.leniency),
    "gaps": ContentLayer("pits to jump", m.gaps),
    "kl_1_1": ContentLayer(
        "tile-pattern KL divergence to VGLC 1-1 (LSI)", lambda s: m.kl_to_vglc(s, "mario-1-1")
    ),
    "kl_1_3": ContentLayer(
        "tile-pattern KL divergence to VGLC 1-3 (LSI)", lambda s: m.kl_to_vglc(s, "mario-1-3")
    ),
}

#: Behaviour layers: the measures of :data:`~gym_mario_latent.latent.qd_measures.MEASURES` read from a game.
BEHAVIOUR_LAYERS = ("completion", "jumps", "kills", "coins", "hurts", "max_jump_length", "max_air_time")


def layer_descriptions() -> dict[str, dict[str, str]]:
    """Every layer's description, by kind (``content``, ``behaviour``); ``playable`` is the map itself."""
    behaviour = {"playable": "the agent reached the finish (the playability map)"}
    behaviour |= {name: MEASURES[name].description for name in BEHAVIOUR_LAYERS}
    return {
        "content": {name: layer.description for name, layer in CONTENT_LAYERS.items()},
        "behaviour": behaviour,
    }


def content_values(segments: np.ndarray) -> dict[str, list[float]]:
    """Each content layer's value for every segment (n, rows, columns)."""
    return {name: [float(layer.compute(s)) for s in segments] for name, layer in CONTENT_LAYERS.items()}


def behaviour_values(telemetry: list[Telemetry], segments: np.ndarray) -> dict[str, list[float]]:
    """Each behaviour layer's value for every game (one per segment), ``playable`` (1 for a win) first."""
    values = {"playable": [float(t.won) for t in telemetry]}
    for name in BEHAVIOUR_LAYERS:
        values[name] = [float(MEASURES[name].compute(t, s)) for t, s in zip(telemetry, segments, strict=True)]
    return values

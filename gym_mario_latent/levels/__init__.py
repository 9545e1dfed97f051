"""Mario levels: the tile alphabets, conversions between level forms, rendering to pictures, and the agent's
path drawn on them.

This package is the one place that knows tile alphabets; the VAE, the simulator bridge and the
Java simulator all agree through it.
"""

from gym_mario_latent.levels.alphabet import (
    EMPTY_ID,
    FINISH_MARK,
    GROUND_ID,
    LEVEL_ALPHABETS,
    MARIO_AI_TILES,
    MARIO_AI_TO_VAE,
    MARIO_ID,
    N_TILES,
    START_MARK,
    TILE_IDS,
    VAE_TILE_MEANINGS,
    VAE_TILES,
    VAE_TO_MARIO_AI,
    VGLC_ALIASES,
    MarioAITile,
)
from gym_mario_latent.levels.convert import (
    check_ids,
    check_rows,
    ids_to_int_list_string,
    ids_to_mario_ai_text,
    ids_to_onehot,
    ids_to_rows,
    ids_to_text,
    int_list_string_to_ids,
    level_rows,
    mario_ai_text_to_ids,
    onehot_to_ids,
    text_to_ids,
)
from gym_mario_latent.levels.render import (
    render_grid,
    render_level,
    render_pixels,
    save_png,
    tile_atlas,
)
from gym_mario_latent.levels.trace import (
    draw_trace,
    mario_sprites,
    save_trace_animation,
    take_offs,
    trace_frames,
    trace_points,
)

__all__ = [
    "EMPTY_ID",
    "FINISH_MARK",
    "GROUND_ID",
    "LEVEL_ALPHABETS",
    "MARIO_AI_TILES",
    "MARIO_AI_TO_VAE",
    "MARIO_ID",
    "N_TILES",
    "START_MARK",
    "TILE_IDS",
    "VAE_TILES",
    "VAE_TILE_MEANINGS",
    "VAE_TO_MARIO_AI",
    "VGLC_ALIASES",
    "MarioAITile",
    "check_ids",
    "check_rows",
    "draw_trace",
    "ids_to_int_list_string",
    "ids_to_mario_ai_text",
    "ids_to_onehot",
    "ids_to_rows",
    "ids_to_text",
    "int_list_string_to_ids",
    "level_rows",
    "mario_ai_text_to_ids",
    "mario_sprites",
    "onehot_to_ids",
    "render_grid",
    "render_level",
    "render_pixels",
    "save_png",
    "save_trace_animation",
    "take_offs",
    "text_to_ids",
    "tile_atlas",
    "trace_frames",
    "trace_points",
]

"""The tile alphabets of Mario levels, in one place.

Two alphabets meet in this package:

* the **VAE alphabet** (the VGLC's Super Mario Bros tiles, in MarioVAE's index order), the one
  the VAE reads and writes: ``X S - ? Q E < > [ ] o`` → tile ids 0..10. The VGLC cannon tiles
  ``B``/``b`` are solid and read as ``X``;
* the **Mario AI Framework's extended alphabet**, the one its level files (and our simulator) use,
  with more enemies, block contents and pipe variants (see :data:`MARIO_AI_TILES`).

:data:`LEVEL_ALPHABETS` names the characters of level text the simulator reads in each; the jar
reports its own in the `serve` handshake, and a test checks that the two agree.
"""

from typing import NamedTuple

#: VAE tiles in id order: ``VAE_TILES[i]`` is the character of tile id ``i``.
VAE_TILES = "XS-?QE<>[]o"
N_TILES = len(VAE_TILES)

#: What each VAE tile is, in the game's words.
VAE_TILE_MEANINGS = {
    "X": "ground (solid)",
    "S": "brick (solid, breakable)",
    "-": "empty (passable)",
    "?": "question block with a power-up (solid)",
    "Q": "question block with a coin (solid)",
    "E": "enemy (goomba)",
    "<": "pipe top, left half",
    ">": "pipe top, right half",
    "[": "pipe body, left half",
    "]": "pipe body, right half",
    "o": "coin (passable, collectable)",
}

# VGLC's tiles.json calls ``Q`` an empty question block, but its levels put ``Q`` at the coin
# blocks and ``?`` at the power-up blocks (1-1: ``Q`` at column 16, ``?`` at the mushroom), as the
# Mario AI Framework's own copy of 1-1 (``!`` and ``@``) confirms; we follow the levels.

#: VGLC characters read as another VAE tile (the bullet-bill cannon is solid).
VGLC_ALIASES = {"B": "X", "b": "X"}

#: Marks of level text in both simulator alphabets, read as empty space: Mario's start tile and
#: the finish column (simulator/PROTOCOL.md, "Alphabets"). No VAE tiles.
START_MARK = "M"
FINISH_MARK = "F"

#: Tile id of every character accepted when reading VGLC/VAE text: the tiles, the cannons (solid) and
#: the simulator's marks (empty space).
TILE_IDS = {char: i for i, char in enumerate(VAE_TILES)} | {
    alias: VAE_TILES.index(target)
    for alias, target in (VGLC_ALIASES | {START_MARK: "-", FINISH_MARK: "-"}).items()
}

EMPTY_ID = VAE_TILES.index("-")
GROUND_ID = VAE_TILES.index("X")

#: Mario's mark in the NES envs' tile observation (``observation_mode="tiles"``): one past the VAE
#: tiles, so a grid holding it is not a level until the mark is cleared (it reads as empty).
MARIO_ID = N_TILES
PIPE_TILES = "<>[]"


class MarioAITile(NamedTuple):
    """One character of the Mario AI Framework's extended level alphabet."""

    char: str
    meaning: str
    vae: str  # the VAE tile it reads as; PIPE_TILES for pipe pieces placed by their neighbours


#: The Mario AI Framework's alphabet (engine/core/MarioLevel.java and its level files) and the VAE
#: tile each character reads as. Writing VAE text in this alphabet uses, for each VAE tile, the
#: first row that reads as it: so ``?`` → ``@``, ``Q`` → ``!``, ``E`` → ``g`` and every pipe
#: piece → ``t`` (the framework places pipe pieces from their neighbours, as its files do).
MARIO_AI_TILES = (
    MarioAITile("X", "ground", "X"),
    MarioAITile("#", "pyramid (stair) block", "X"),
    MarioAITile("*", "bullet-bill cannon", "X"),
    MarioAITile("B", "bullet-bill cannon top", "X"),
    MarioAITile("b", "bullet-bill cannon body", "X"),
    MarioAITile("%", "jump-through platform", "X"),
    MarioAITile("D", "used block", "X"),
    MarioAITile("S", "brick", "S"),
    MarioAITile("C", "brick with a coin", "S"),
    MarioAITile("U", "brick with a mushroom", "S"),
    MarioAITile("L", "brick with a 1-up", "S"),
    MarioAITile("-", "empty", "-"),
    MarioAITile("M", "Mario's start", "-"),
    MarioAITile("F", "exit flag", "-"),
    MarioAITile("|", "background of a jump-through platform", "-"),
    MarioAITile("1", "invisible 1-up block", "-"),
    MarioAITile("2", "invisible coin block", "-"),
    MarioAITile("@", "question block with a mushroom", "?"),
    MarioAITile("?", "question block with a mushroom", "?"),
    MarioAITile("!", "question block with a coin", "Q"),
    MarioAITile("Q", "question block with a coin", "Q"),
    MarioAITile("g", "goomba", "E"),
    MarioAITile("E", "goomba", "E"),
    MarioAITile("G", "winged goomba", "E"),
    MarioAITile("k", "green koopa", "E"),
    MarioAITile("K", "winged green koopa", "E"),
    MarioAITile("r", "red koopa", "E"),
    MarioAITile("R", "winged red koopa", "E"),
    MarioAITile("y", "spiky", "E"),
    MarioAITile("Y", "winged spiky", "E"),
    MarioAITile("t", "pipe", PIPE_TILES),
    MarioAITile("T", "pipe with a piranha plant", PIPE_TILES),
    MarioAITile("<", "pipe top, left half", "<"),
    MarioAITile(">", "pipe top, right half", ">"),
    MarioAITile("[", "pipe body, left half", "["),
    MarioAITile("]", "pipe body, right half", "]"),
    MarioAITile("o", "coin", "o"),
)

#: Mario AI character → the VAE tile it reads as (PIPE_TILES for pipes placed by neighbours).
MARIO_AI_TO_VAE = {tile.char: tile.vae for tile in MARIO_AI_TILES}

#: VAE tile → the Mario AI character written for it (first matching row of MARIO_AI_TILES).
VAE_TO_MARIO_AI = {
    vae_char: next(tile.char for tile in MARIO_AI_TILES if vae_char in tile.vae) for vae_char in VAE_TILES
}

#: The characters of level text the simulator reads, by alphabet name: the VGLC/VAE tiles (with
#: the cannons and the marks), and the Mario AI Framework's alphabet (marks included).
LEVEL_ALPHABETS = {
    "vglc": "".join(TILE_IDS),
    "mario-ai": "".join(MARIO_AI_TO_VAE),
}

#: What the tile ids of a level generator stand for, by alphabet name (the simulator's names): id
#: ``i`` of alphabet ``A`` is the tile ``GENERATOR_ALPHABETS[A][i]``. ``vglc`` ids are the VAE tile
#: ids; ``mario-ai`` ids index the Mario AI Framework's characters, as its generators (MarioGAN-LSI)
#: write them.
GENERATOR_ALPHABETS = {"vglc": VAE_TILES, "mario-ai": LEVEL_ALPHABETS["mario-ai"]}

"""The explorer's page in headless Chromium (Debian's ``chromium``, driven by Playwright), against a real
server: it loads with no console error, the map draws, the playability map fills in, a click opens the
level with the agent's path, the replay advances tick by tick and ends where the telemetry says, the
downloads hold the level, and interpolation and building a level work. It also takes the README's
screenshots (docs/explorer/*.png), so they show the page as it is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from explorer_support import explorer_server, request, write_elites_file
from simulator_support import REPO

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the dev extra)")
pytest.importorskip("fastapi", reason="the explorer extra is not installed")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it as root)"
)
SCREENSHOTS = REPO / "docs" / "explorer"
TIMEOUT_MS = 180_000


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    with explorer_server(tmp_path_factory.mktemp("explorer-home")) as address:
        yield address


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def archive_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explorer-archive")
    elites = write_elites_file(folder / "elites.json")
    with explorer_server(folder / "home", "--archive", str(elites)) as address:
        yield address


def open_page(browser, url: str):
    """The explorer's page at `url`, loaded, and the list its console errors go to."""
    page = browser.new_page(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]")
    return page, errors


@pytest.fixture
def page(browser, url):
    """The explorer's page, loaded; the test fails on any console error or uncaught exception."""
    page, errors = open_page(browser, url)
    yield page
    page.close()
    assert errors == [], f"the page logged errors: {errors}"


def state(page, expression: str):
    return page.evaluate(f"() => window.explorer.{expression}")


def click_cell(page, index: int) -> None:
    """Clicks the middle of map cell `index` (row-major)."""
    size = state(page, "map.map.size")
    box = page.locator("#map-canvas").bounding_box()
    row, column = divmod(index, size)
    page.mouse.click(
        box["x"] + (column + 0.5) * box["width"] / size, box["y"] + (row + 0.5) * box["height"] / size
    )


def compute_playability(page, size: int = 10) -> list[str]:
    page.fill("#map-size", str(size))
    page.click("#draw-map")
    page.wait_for_function(f"() => window.explorer.map && window.explorer.map.map.size === {size}")
    page.click("#compute-playability")
    page.wait_for_selector("#map-progress[data-state=done]")
    return state(page, "job.result.status")


def open_cell(page, index: int) -> dict:
    # the level opened before stays `current` until the new one has been played: wait for the new one
    page.evaluate("() => { window.openedBefore = window.explorer.current; }")
    click_cell(page, index)
    page.wait_for_function(
        "() => window.explorer.current && window.explorer.current !== window.openedBefore"
        f" && window.explorer.selected === {index}"
    )
    page.wait_for_selector("#level-view:not([hidden])")
    return state(page, "current.played")


# Level pixels that differ from the bare level under a goomba's body drawn at the middle of its feet (x, y):
# the replay canvas (2 canvas pixels per level pixel, `left` level pixels into the level) against the level
# it draws on (the level's own canvas, its enemy tiles drawn as sky)
PIXELS_UNDER_GOOMBA = """([x, y]) => {
  const replay = window.explorer.replay, scale = 2, left = replay.left;
  const canvas = replay.canvas.getContext('2d'), level = replay.level.getContext('2d');
  let differing = 0;
  for (let ly = Math.round(y) - 12; ly < Math.round(y) - 2; ly++) {
    for (let lx = Math.round(x) - 5; lx < Math.round(x) + 5; lx++) {
      const a = canvas.getImageData(Math.floor((lx + 0.5 - left) * scale), ly * scale + 1, 1, 1).data;
      const b = level.getImageData(lx, ly, 1, 1).data;
      differing += Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]) > 40;
    }
  }
  return differing;
}"""


def assert_sprites_drawn(page, played: dict) -> list:
    """The replay drew the sprites of its tick in view, each goomba where the sprite trace has it; returns
    them."""
    replay = page.locator("#replay-canvas")
    tick, left = int(replay.get_attribute("data-tick")), float(replay.get_attribute("data-left"))
    width = page.evaluate("() => window.explorer.replay.canvas.width") / 2
    in_view = [s for s in played["sprites"][tick] if left - 8 <= s[1] <= left + width + 8]
    assert int(replay.get_attribute("data-sprites")) == len(in_view)
    goomba = state(page, "info.sprite_kinds").index("goomba")
    for kind, x, y, _ in in_view:
        if kind == goomba and 8 <= x - left <= width - 8:
            assert page.evaluate(PIXELS_UNDER_GOOMBA, [x, y]) >= 50, (
                f"no goomba drawn at {x}, {y} (tick {tick})"
            )
    return in_view


def test_the_page_loads_and_draws_the_decoded_map(page):
    assert page.title() == "gym-mario-latent explorer"
    canvas = page.locator("#map-canvas")
    assert int(canvas.get_attribute("data-drawn")) >= 1
    colours = page.evaluate(
        """() => { const c = document.getElementById('map-canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const seen = new Set();
        for (let i = 0; i < d.length; i += 4 * 97) seen.add(d[i] + ',' + d[i+1] + ',' + d[i+2]);
        return seen.size; }"""
    )
    assert colours > 5  # sky, ground, pipes... not a blank canvas
    assert state(page, "map.segments.length") == 20 * 20
    assert page.locator("#agent option").all_inner_texts() == request(page.url + "api/info")[1]["agents"]


def test_the_playability_map_colours_the_map_and_a_click_opens_the_level_with_its_replay(page, tmp_path):
    status = compute_playability(page)
    assert len(status) == 100 and page.locator("#layer").input_value() == "playable"
    assert "cells playable" in page.inner_text("#map-progress-text")
    page.select_option("#layer", "enemies")
    assert page.locator("#map-canvas").get_attribute("data-layer") == "enemies"
    page.select_option("#layer", "playable")
    enemies = state(page, "map.layers.enemies")
    won = next(i for i, s in enumerate(status) if s == "win" and enemies[i] > 0)
    page.mouse.move(0, 0)
    played = open_cell(page, won)
    telemetry = played["telemetry"]
    assert telemetry["status"] == "win"
    assert len(played["sprites"]) == telemetry["ticks"]
    assert page.get_attribute("#level-picture", "src").startswith("data:image/png;base64,")
    assert page.inner_text("#telemetry tr[data-key=ticks] td:last-child") == str(telemetry["ticks"])

    replay = page.locator("#replay-canvas")
    assert (
        replay.get_attribute("data-tick") == "0"
        and int(replay.get_attribute("data-ticks")) == telemetry["ticks"]
    )
    start = assert_sprites_drawn(page, played)
    assert start, "the level's enemies are on the screen at the start"
    for tick in (1, 2, 3):
        page.click("#replay-step")
        assert replay.get_attribute("data-tick") == str(tick)
        assert float(replay.get_attribute("data-x")) == played["trace"][tick][0]
        assert_sprites_drawn(page, played)
    for _ in range(7):
        page.click("#replay-step")
    moved = assert_sprites_drawn(page, played)
    assert {tuple(s[1:3]) for s in moved} != {tuple(s[1:3]) for s in start}, "the enemies moved"
    for _ in range(7):
        page.click("#replay-back")
    page.click("#replay-back")
    assert replay.get_attribute("data-tick") == "2"
    page.locator("#level-title").click()  # the keys work anywhere but in a control
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    assert replay.get_attribute("data-tick") == "3"
    page.select_option("#replay-speed", "4")
    page.click("#replay-play")
    page.wait_for_function("() => document.getElementById('replay-play').textContent === 'Play'")
    assert int(replay.get_attribute("data-tick")) == telemetry["ticks"] - 1
    assert float(replay.get_attribute("data-x")) == telemetry["mario_x"]
    assert float(replay.get_attribute("data-y")) == telemetry["mario_y"]
    assert_sprites_drawn(page, played)

    with page.expect_download() as download:
        page.click("#download-text")
    assert Path(download.value.path()).read_text() == "\n".join(played["rows"]) + "\n"
    with page.expect_download() as download:
        page.click("#download-png")
    assert Path(download.value.path()).read_bytes().startswith(b"\x89PNG")
    with page.expect_download() as download:
        page.click("#download-gif")
    assert Path(download.value.path()).read_bytes().startswith(b"GIF89a")

    page.click("#replay-scrub")  # the middle of the replay, for the picture
    click_cell_hover = state(page, "map.map.size") * 3 + 4
    box = page.locator("#map-canvas").bounding_box()
    page.mouse.move(box["x"] + 4.5 * box["width"] / 10, box["y"] + 3.5 * box["height"] / 10)
    page.wait_for_function(f"() => window.explorer.hover === {click_cell_hover}")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    left, right = page.locator("#map-panel").bounding_box(), page.locator("#level-panel").bounding_box()
    clip = {"x": left["x"], "y": left["y"], "width": right["x"] + right["width"] - left["x"]}
    page.evaluate("() => document.activeElement.blur()")  # no focus ring: the same picture every run
    page.screenshot(path=SCREENSHOTS / "map-and-level.png", clip=clip | {"height": left["height"]})


def test_interpolation_shows_the_line_and_the_playable_path_and_a_built_level_plays(page):
    status = compute_playability(page)
    wins = [i for i, s in enumerate(status) if s == "win"]
    open_cell(page, wins[0])
    page.click("#set-a")
    page.click("#add-segment")
    open_cell(page, wins[-1])
    page.click("#set-b")
    page.click("#add-segment")
    page.fill("#steps", "6")
    page.click("#interpolate")
    page.wait_for_function("() => document.querySelectorAll('#strip-line figure').length === 6")
    line = page.locator("#strip-line figure")
    classes = [line.nth(i).get_attribute("class") for i in range(6)]
    assert set(classes) <= {"playable", "unplayable"}
    note = page.inner_text("#path-note")
    path = state(page, "pathCells")
    if path is None:
        assert note.startswith("no playable path")
    else:
        assert path[0] == wins[0] and path[-1] == wins[-1]
        figures = page.locator("#strip-path figure")
        assert figures.count() >= 2
        assert {figures.nth(i).get_attribute("class") for i in range(figures.count())} == {"playable"}

    assert page.locator("#build-strip figure").count() == 2
    page.mouse.move(0, 0)
    page.click("#build-play")
    page.wait_for_function("() => window.explorer.current.latents.length === 2")
    played = state(page, "current.played")
    assert [len(row) for row in played["rows"]] == [28] * 14
    assert played["telemetry"]["totalLengthOfLevelPassedCells"] == 28 + 6
    assert page.inner_text("#level-title").startswith("built level of 2 segments")
    page.locator("#build-strip figure").first.click()  # removes it
    assert page.locator("#build-strip figure").count() == 1
    left, right = (
        page.locator("#interpolation-panel").bounding_box(),
        page.locator("#build-panel").bounding_box(),
    )
    clip = {"x": left["x"], "y": left["y"], "width": right["x"] + right["width"] - left["x"]}
    page.evaluate("() => document.activeElement.blur()")
    page.screenshot(path=SCREENSHOTS / "interpolation-and-build.png", clip=clip | {"height": left["height"]})


def test_an_archive_is_a_heat_map_whose_elites_open_and_slice_the_latent_space(browser, archive_url):
    page, errors = open_page(browser, archive_url)
    canvas = page.locator("#map-canvas")
    assert (
        canvas.get_attribute("data-view") == "archive" and canvas.get_attribute("data-layer") == "objective"
    )
    elites = state(page, "archive.elites")
    box = canvas.bounding_box()
    column, row = elites[0]["cell"]
    page.mouse.click(
        box["x"] + (column + 0.5) * box["width"] / 6, box["y"] + (4 - row - 0.5) * box["height"] / 4
    )
    page.wait_for_function("() => window.explorer.current !== null")
    assert state(page, "current.latents[0]") == elites[0]["solution"]
    assert page.inner_text("#level-title").startswith(f"elite in cell ({column}, {row})")
    page.select_option("#map-view", "slice")
    page.wait_for_function("() => window.explorer.view === 'slice' && window.explorer.map !== null")
    assert canvas.get_attribute("data-view") == "slice"
    assert state(page, "map.map.center") == pytest.approx(elites[0]["solution"], abs=1e-5)
    open_cell(page, 0)  # the slice's top-left cell: a new center
    corner = state(page, "map.points[0]")
    page.click("#slice-here")
    page.wait_for_function(f"() => Math.abs(window.explorer.map.map.center[0] - {corner[0]}) < 1e-4")
    assert state(page, "map.map.center") == pytest.approx(corner, abs=1e-5)
    page.close()
    assert errors == [], f"the page logged errors: {errors}"

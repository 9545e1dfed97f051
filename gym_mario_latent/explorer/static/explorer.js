// The explorer page: the latent map, the level view with its replay, interpolation, and building a level.
import { download, getJson, postBlob, postJson } from "./api.js";
import { colour, drawThumbnails, loadArt, segmentCanvas } from "./art.js";
import { Replay } from "./replay.js";

const MAP_PIXELS = 560; // the map's side on the page
const STRIP_TILE = 4; // pixels per tile of strip thumbnails
const $ = (id) => document.getElementById(id);

const state = {
  info: null, art: null, replay: null,
  view: "grid", // grid (a 2-d generator), slice, archive
  map: null, // the decoded map: points, segments, content layers
  job: null, // the playability map of this map, once done
  archive: null, // the archive's elites with their segments
  layer: "none", hover: -1, selected: -1,
  current: null, // the open level: {latents, played, title}
  a: null, b: null, pathCells: null,
  build: [],
};
window.explorer = state; // for the browser tests and the curious

function message(text, isError = false) {
  $("message").textContent = text;
  $("message").style.color = isError ? "#ff6b6b" : "";
}

async function guarded(action) {
  try {
    await action();
  } catch (error) {
    message(error.message, true);
  }
}

// -- the map ---------------------------------------------------------------------------------------------

function mapRequest() {
  const request = { size: Number($("map-size").value), bound: Number($("map-bound").value) };
  if (state.view === "slice") {
    request.axes = [Number($("axis-u").value), Number($("axis-v").value)];
    request.center = state.sliceCenter || new Array(state.info.generator.z_dim).fill(0);
  }
  return request;
}

function sameMap(job) {
  return job && state.map && JSON.stringify(job.map) === JSON.stringify(state.map.map)
    && job.agent === $("agent").value;
}

async function drawMapRequest() {
  message("decoding…");
  state.map = await postJson("/api/map", mapRequest());
  state.job = null;
  state.pathCells = null;
  state.selected = state.hover = -1;
  setLayerOptions();
  $("map-progress").value = 0;
  $("map-progress-text").textContent = "";
  drawMap();
  message("");
}

function cellGeometry() {
  if (state.view === "archive") {
    const [d0, d1 = 1] = state.archive.dims;
    const cell = Math.max(2, Math.floor(MAP_PIXELS / Math.max(d0, d1)));
    return { columns: d0, rows: d1, cellW: cell, cellH: cell };
  }
  const [rows, columns] = state.info.generator.shape;
  const size = state.map.map.size;
  const tile = Math.max(1, Math.floor(MAP_PIXELS / (size * Math.max(rows, columns))));
  return { columns: size, rows: size, cellW: columns * tile, cellH: rows * tile, tile };
}

function layerValues() {
  const layer = state.layer;
  if (layer === "none") return null;
  if (state.view === "archive") {
    if (layer === "objective") return state.archive.elites.map((e) => e.objective);
    return state.archive.layers[layer];
  }
  if (state.map.layers[layer]) return state.map.layers[layer];
  return state.job?.result.layers[layer] ?? null;
}

function range(values) {
  const finite = values.filter(Number.isFinite);
  const low = Math.min(...finite), high = Math.max(...finite);
  return [low, high > low ? high : low + 1];
}

// The grid position (column, row from the top) of map item `index`.
function cellOf(index) {
  const g = cellGeometry();
  if (state.view === "archive") {
    const [i, j = 0] = state.archive.elites[index].cell;
    return [i, g.rows - 1 - j];
  }
  return [index % g.columns, Math.floor(index / g.columns)];
}

function itemAt(column, row) {
  const g = cellGeometry();
  if (column < 0 || row < 0 || column >= g.columns || row >= g.rows) return -1;
  if (state.view === "archive") return state.archive.byCell.get(`${column},${g.rows - 1 - row}`) ?? -1;
  return row * g.columns + column;
}

function drawMap() {
  const canvas = $("map-canvas"), ctx = canvas.getContext("2d");
  const g = cellGeometry();
  canvas.width = g.columns * g.cellW;
  canvas.height = g.rows * g.cellH;
  const values = layerValues();
  const count = state.view === "archive" ? state.archive.elites.length : state.map.segments.length;
  if (state.view === "archive") {
    ctx.fillStyle = "#2a2d35";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  } else {
    drawThumbnails(ctx, state.art, state.map.segments, state.info.generator.shape, g.columns, g.tile);
  }
  const [low, high] = values ? range(values) : [0, 1];
  const alpha = state.view === "archive" ? 1 : 0.5;
  for (let index = 0; index < count; index++) {
    const [column, row] = cellOf(index);
    let fill = null;
    if (state.layer === "playable") { // unplayable cells tinted red, playable ones framed in green
      if (values[index] > 0) {
        ctx.strokeStyle = "rgba(34,177,76,0.9)";
        ctx.lineWidth = 2;
        ctx.strokeRect(column * g.cellW + 1, row * g.cellH + 1, g.cellW - 2, g.cellH - 2);
      } else {
        fill = [237, 28, 36];
      }
    } else if (values) {
      fill = colour((values[index] - low) / (high - low));
    } else if (state.view === "archive") {
      fill = [120, 120, 130];
    }
    if (fill) {
      ctx.fillStyle = `rgba(${fill.join(",")},${alpha})`;
      ctx.fillRect(column * g.cellW, row * g.cellH, g.cellW, g.cellH);
    }
  }
  drawPathOnMap(ctx, g);
  for (const [point, name] of [[state.a, "A"], [state.b, "B"]]) {
    if (point && point.item >= 0 && point.view === state.view) markCell(ctx, g, point.item, "#fff", name);
  }
  if (state.selected >= 0) markCell(ctx, g, state.selected, "#fff200");
  if (state.hover >= 0) markCell(ctx, g, state.hover, "#ffffff");
  drawLegend(values, low, high);
  $("map-axes").textContent = axesText();
  canvas.dataset.drawn = String(Number(canvas.dataset.drawn || 0) + 1);
  canvas.dataset.view = state.view;
  canvas.dataset.layer = state.layer;
}

function axesText() {
  if (state.view === "archive") {
    const { measure_names: names, ranges } = state.archive;
    const axis = (i) => `${names[i]} ${format(ranges[i][0])} … ${format(ranges[i][1])}`;
    return `across: ${axis(0)}${names.length > 1 ? ` · up: ${axis(1)}` : ""}`;
  }
  const { bound, axes, center } = state.map.map;
  const through = center.some((x) => x !== 0) ? " (through the chosen elite)" : "";
  return `across: z[${axes[0]}] −${bound} … ${bound} · up: z[${axes[1]}] −${bound} … ${bound}${through}`;
}

function markCell(ctx, g, index, stroke, label) {
  const [column, row] = cellOf(index);
  ctx.strokeStyle = stroke;
  ctx.lineWidth = 2;
  ctx.strokeRect(column * g.cellW + 1, row * g.cellH + 1, g.cellW - 2, g.cellH - 2);
  if (label) {
    ctx.font = `bold ${Math.max(10, g.cellH * 0.6)}px system-ui`;
    ctx.fillStyle = stroke;
    ctx.strokeStyle = "#000";
    ctx.lineWidth = 3;
    ctx.strokeText(label, column * g.cellW + 2, row * g.cellH + g.cellH - 3);
    ctx.fillText(label, column * g.cellW + 2, row * g.cellH + g.cellH - 3);
  }
}

function drawPathOnMap(ctx, g) {
  if (!state.pathCells || state.view === "archive") return;
  ctx.strokeStyle = "#ffffff";
  ctx.lineWidth = 3;
  ctx.beginPath();
  state.pathCells.forEach((cell, i) => {
    const [column, row] = cellOf(cell);
    const x = (column + 0.5) * g.cellW, y = (row + 0.5) * g.cellH;
    i ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
  });
  ctx.stroke();
}

function drawLegend(values, low, high) {
  const canvas = $("legend"), ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (!values || state.layer === "playable") {
    $("legend-text").textContent = state.layer === "playable" ? "green frame: the agent wins; red: it does not" : "";
    return;
  }
  for (let x = 0; x < canvas.width; x++) {
    ctx.fillStyle = `rgb(${colour(x / (canvas.width - 1)).join(",")})`;
    ctx.fillRect(x, 0, 1, canvas.height);
  }
  $("legend-text").textContent = `${state.layer}: ${format(low)} … ${format(high)}`;
}

function setLayerOptions() {
  const select = $("layer"), layers = state.info.layers;
  const options = [["none", "none (segments only)"]];
  if (state.view === "archive") options.push(["objective", `objective (${state.archive.objective})`]);
  for (const [name, description] of Object.entries(layers.content)) options.push([name, `${name}: ${description}`]);
  const behaviour = state.view !== "archive" && sameMap(state.job);
  for (const [name, description] of Object.entries(layers.behaviour)) {
    options.push([name, `${name}: ${description}`, !behaviour]);
  }
  select.replaceChildren(...options.map(([value, text, disabled]) => {
    const option = new Option(text, value);
    option.disabled = Boolean(disabled);
    return option;
  }));
  if (![...select.options].some((o) => o.value === state.layer && !o.disabled)) {
    state.layer = state.view === "archive" ? "objective" : "none";
  }
  select.value = state.layer;
  $("compute-playability").disabled = $("draw-map").disabled = state.view === "archive";
}

function hoverSegment(index) {
  const canvas = $("hover-canvas"), ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (index < 0) { $("hover-text").textContent = "hover a cell"; return; }
  const segment = state.view === "archive" ? state.archive.segments[index] : state.map.segments[index];
  const shape = state.info.generator.shape;
  const tile = Math.floor(canvas.width / Math.max(...shape));
  ctx.drawImage(segmentCanvas(state.art, segment, shape, tile), 0, 0);
  const values = layerValues();
  const z = latentOf(index).slice(0, 4).map((x) => x.toFixed(2)).join(", ");
  const shown = state.layer === "playable" ? (values[index] > 0 ? "yes" : "no") : values && format(values[index]);
  const extra = values ? ` · ${state.layer} ${shown}` : "";
  $("hover-text").textContent = `z (${z}${state.info.generator.z_dim > 4 ? ", …" : ""})${extra}`;
}

function latentOf(index) {
  return state.view === "archive" ? state.archive.elites[index].solution : state.map.points[index];
}

function mapItemFromEvent(event) {
  const canvas = $("map-canvas"), g = cellGeometry();
  const box = canvas.getBoundingClientRect();
  const x = (event.clientX - box.left) * (canvas.width / box.width);
  const y = (event.clientY - box.top) * (canvas.height / box.height);
  return itemAt(Math.floor(x / g.cellW), Math.floor(y / g.cellH));
}

// -- playability -----------------------------------------------------------------------------------------

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function computePlayability() {
  const button = $("compute-playability");
  button.disabled = true;
  try {
    let job = await postJson("/api/playability", { ...mapRequest(), agent: $("agent").value });
    while (job.state === "queued" || job.state === "running") {
      showProgress(job);
      await sleep(250);
      job = await getJson(`/api/playability/${job.id}`);
    }
    showProgress(job);
    if (job.state === "failed") throw new Error(`the playability map failed: ${job.error}`);
    state.job = job;
    state.layer = "playable";
    setLayerOptions();
    drawMap();
  } finally {
    button.disabled = state.view === "archive";
  }
}

function showProgress(job) {
  const progress = $("map-progress");
  progress.max = Math.max(job.total, 1);
  progress.value = job.state === "done" ? progress.max : job.done;
  const playable = job.state === "done" ? job.result.status.filter((s) => s === "win").length : 0;
  $("map-progress-text").textContent = job.state === "done"
    ? `${playable} of ${job.result.status.length} cells playable${job.cached ? " (from the cache)" : ""}`
    : `${job.state}: ${job.done} / ${job.total || "?"} distinct segments played`;
  progress.dataset.state = job.state;
}

// -- the level view --------------------------------------------------------------------------------------

function format(value) {
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(3);
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    return entries.length ? entries.map(([k, v]) => `${k} ${v}`).join(", ") : "none";
  }
  return String(value);
}

async function openLevel(latents, title) {
  message("playing…");
  const played = await postJson("/api/play", { latents, agent: $("agent").value });
  state.current = { latents, played, title };
  $("level-empty").hidden = true;
  $("level-view").hidden = false;
  $("level-title").textContent = `${title} · ${played.telemetry.agent}: ${played.telemetry.status}`;
  $("level-picture").src = played.picture || "";
  state.replay.load(played);
  $("replay-scrub").max = String(Math.max(state.replay.ticks - 1, 0));
  const rows = Object.entries(played.telemetry).map(([key, value]) => {
    const row = document.createElement("tr");
    row.dataset.key = key;
    row.append(Object.assign(document.createElement("td"), { textContent: key }),
      Object.assign(document.createElement("td"), { textContent: format(value) }));
    return row;
  });
  $("telemetry").tBodies[0].replaceChildren(...rows);
  const single = latents.length === 1;
  for (const id of ["set-a", "set-b", "add-segment", "slice-here"]) $(id).disabled = !single;
  message("");
}

function replayChanged(replay) {
  $("replay-scrub").value = String(replay.tick);
  $("replay-play").textContent = replay.playing ? "Pause" : "Play";
  const point = replay.ticks ? replay.trace[replay.tick] : null;
  const sprites = replay.sprites ? ` · ${replay.sprites[replay.tick].length} sprite(s)` : "";
  $("replay-label").textContent = point
    ? `tick ${replay.tick + 1} / ${replay.ticks} · x ${point[0].toFixed(1)} · y ${point[1].toFixed(1)}${sprites}`
    : "no trace";
}

// -- interpolation and building --------------------------------------------------------------------------

function setPoint(name) {
  const point = { z: state.current.latents[0], item: state.selected, view: state.view };
  state[name] = point;
  $(`point-${name}`).textContent = `(${point.z.slice(0, 3).map((x) => x.toFixed(2)).join(", ")}${point.z.length > 3 ? ", …" : ""})`;
  $("interpolate").disabled = !(state.a && state.b);
  drawMap();
}

function stripFigure(item, onClick, title) {
  const figure = document.createElement("figure");
  const playable = item.playable === undefined ? "" : item.playable ? "playable" : "unplayable";
  if (playable) figure.className = playable;
  figure.append(segmentCanvas(state.art, item.segment, state.info.generator.shape, STRIP_TILE));
  const caption = document.createElement("figcaption");
  caption.textContent = item.status ? `${item.status} ${item.completion.toFixed(2)}` : "";
  if (playable) caption.className = playable;
  figure.append(caption);
  figure.title = title;
  figure.addEventListener("click", () => guarded(onClick));
  return figure;
}

async function interpolate() {
  message("interpolating…");
  const body = { a: state.a.z, b: state.b.z, steps: Number($("steps").value), agent: $("agent").value };
  if (sameMap(state.job) && state.view !== "archive") body.map_id = state.job.id;
  const answer = await postJson("/api/interpolate", body);
  const open = (item, i, what) => () => openLevel([item.z], `${what} ${i + 1}`);
  $("strip-line").replaceChildren(...answer.line.map((item, i) => stripFigure(item, open(item, i, "line step"), "open")));
  $("strip-path").replaceChildren(...(answer.path || []).map((item, i) => stripFigure(item, open(item, i, "path step"), "open")));
  $("path-note").textContent = answer.path_note;
  state.pathCells = answer.path_cells;
  drawMap();
  message("");
}

function renderBuild() {
  $("build-strip").replaceChildren(...state.build.map((item, i) => stripFigure(item, () => {
    state.build.splice(i, 1);
    renderBuild();
  }, "click to remove")));
  $("build-play").disabled = $("build-clear").disabled = state.build.length === 0;
  $("build-text").textContent = state.build.length
    ? `${state.build.length} segment(s), ${state.build.length * state.info.generator.shape[1]} columns`
    : "Open segments and add them, left to right.";
}

function addSegment() {
  if (state.build.length >= state.info.limits.max_segments) throw new Error("the level is as long as it may be");
  const segment = state.map && state.view !== "archive" && state.selected >= 0 ? state.map.segments[state.selected]
    : state.view === "archive" && state.selected >= 0 ? state.archive.segments[state.selected] : null;
  state.build.push({ z: state.current.latents[0], segment: segment ?? state.current.played.rows.join("") });
  renderBuild();
}

// -- archive ---------------------------------------------------------------------------------------------

async function loadArchive() {
  state.archive = await getJson("/api/archive");
  state.archive.byCell = new Map(state.archive.elites.map((e, i) => [e.cell.length > 1 ? `${e.cell[0]},${e.cell[1]}` : `${e.cell[0]},0`, i]));
}

async function setView(view) {
  state.view = view;
  $("map-view").value = view;
  $("slice-axes").hidden = view !== "slice";
  state.selected = state.hover = -1;
  state.pathCells = null;
  if (view === "archive") {
    state.layer = "objective";
    setLayerOptions();
    drawMap();
  } else {
    await drawMapRequest();
  }
}

// -- start -----------------------------------------------------------------------------------------------

async function start() {
  state.info = await getJson("/api/info");
  state.art = await loadArt(state.info.tiles);
  const { generator } = state.info;
  $("generator-name").textContent = `${generator.name} · z_dim ${generator.z_dim} · ${generator.shape.join("×")} segments`;
  $("agent").replaceChildren(...state.info.agents.map((a) => new Option(a, a)));
  $("agent").value = state.info.default_agent;
  $("axis-u").max = $("axis-v").max = String(generator.z_dim - 1);
  state.replay = new Replay($("replay-canvas"), state.art, state.info, replayChanged);

  const canvas = $("map-canvas");
  canvas.addEventListener("mousemove", (event) => {
    const item = mapItemFromEvent(event);
    if (item !== state.hover) {
      state.hover = item;
      hoverSegment(item);
      drawMap();
    }
  });
  canvas.addEventListener("mouseleave", () => { state.hover = -1; hoverSegment(-1); drawMap(); });
  canvas.addEventListener("click", (event) => guarded(async () => {
    const item = mapItemFromEvent(event);
    if (item < 0) return;
    state.selected = item;
    drawMap();
    const [column, row] = cellOf(item);
    const title = state.view === "archive" ? `elite in cell (${state.archive.elites[item].cell.join(", ")})`
      : `cell (row ${row}, column ${column})`;
    if (state.view === "archive") state.sliceCenter = state.archive.elites[item].solution;
    await openLevel([latentOf(item)], title);
  }));
  $("layer").addEventListener("change", () => { state.layer = $("layer").value; drawMap(); });
  $("draw-map").addEventListener("click", () => guarded(drawMapRequest));
  $("compute-playability").addEventListener("click", () => guarded(computePlayability));
  $("map-view").addEventListener("change", () => guarded(() => setView($("map-view").value)));
  $("agent").addEventListener("change", () => { setLayerOptions(); drawMap(); });
  $("replay-play").addEventListener("click", () => state.replay.toggle());
  $("replay-step").addEventListener("click", () => state.replay.step(1));
  $("replay-back").addEventListener("click", () => state.replay.step(-1));
  $("replay-scrub").addEventListener("input", () => { state.replay.pause(); state.replay.seek(Number($("replay-scrub").value)); });
  document.addEventListener("keydown", (event) => { // space plays or pauses, arrows step, on an open level
    if (!state.current || ["INPUT", "SELECT", "BUTTON"].includes(event.target.tagName)) return;
    const keys = { " ": () => state.replay.toggle(), ArrowRight: () => state.replay.step(1),
      ArrowLeft: () => state.replay.step(-1) };
    if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
  });
  $("replay-speed").addEventListener("change", () => state.replay.setSpeed(Number($("replay-speed").value)));
  $("download-text").addEventListener("click", () => {
    const text = state.current.played.rows.join("\n") + "\n";
    download(URL.createObjectURL(new Blob([text], { type: "text/plain" })), "level.txt");
  });
  $("download-png").addEventListener("click", () => download(state.current.played.picture, "level.png"));
  $("download-gif").addEventListener("click", () => guarded(async () => {
    message("drawing the GIF…");
    const blob = await postBlob("/api/gif", { latents: state.current.latents, agent: $("agent").value });
    download(URL.createObjectURL(blob), "level.gif");
    message("");
  }));
  $("set-a").addEventListener("click", () => setPoint("a"));
  $("set-b").addEventListener("click", () => setPoint("b"));
  $("interpolate").addEventListener("click", () => guarded(interpolate));
  $("add-segment").addEventListener("click", () => guarded(async () => addSegment()));
  $("slice-here").hidden = generator.z_dim === 2;
  $("slice-here").addEventListener("click", () => guarded(async () => {
    state.sliceCenter = state.current.latents[0];
    await setView("slice");
  }));
  $("build-clear").addEventListener("click", () => { state.build = []; renderBuild(); });
  $("build-play").addEventListener("click", () => guarded(() =>
    openLevel(state.build.map((item) => item.z), `built level of ${state.build.length} segments`)));

  if (state.info.archive) {
    await loadArchive();
    $("view-label").hidden = false;
    await setView("archive");
  } else {
    await setView(generator.z_dim === 2 ? "grid" : "slice");
  }
  document.body.dataset.ready = "true";
}

guarded(start);

// Drawing levels on canvases from the package's own art (/api/tiles.png, /api/mario.png, /api/sprites.png).

export const ART = 16; // pixels per tile of the art

function loadImage(url) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error(`cannot load ${url}`));
    image.src = url;
  });
}

export async function loadArt(tiles) {
  const [atlas, mario, sprites] = await Promise.all(
    ["/api/tiles.png", "/api/mario.png", "/api/sprites.png"].map(loadImage));
  const ids = new Map([...tiles].map((char, id) => [char, id]));
  return { atlas, mario, sprites, ids, scaled: new Map() };
}

// The atlas at `tile` pixels per tile, as RGBA bytes (one row of tiles).
function scaledAtlas(art, tile) {
  if (!art.scaled.has(tile)) {
    const canvas = document.createElement("canvas");
    canvas.width = art.ids.size * tile;
    canvas.height = tile;
    const ctx = canvas.getContext("2d");
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(art.atlas, 0, 0, canvas.width, canvas.height);
    art.scaled.set(tile, ctx.getImageData(0, 0, canvas.width, canvas.height).data);
  }
  return art.scaled.get(tile);
}

// Draw rows of tile characters with their top-left corner at (left, top), `tile` pixels per tile.
export function drawRows(ctx, art, rows, tile, left = 0, top = 0) {
  ctx.imageSmoothingEnabled = false;
  rows.forEach((row, y) => {
    [...row].forEach((char, x) => {
      const id = art.ids.get(char) ?? art.ids.get("-");
      ctx.drawImage(art.atlas, id * ART, 0, ART, ART, left + x * tile, top + y * tile, tile, tile);
    });
  });
}

// A segment (one string of rows × columns characters) as rows.
export function segmentRows(segment, shape) {
  const [rows, columns] = shape;
  return Array.from({ length: rows }, (_, y) => segment.slice(y * columns, (y + 1) * columns));
}

export function segmentCanvas(art, segment, shape, tile) {
  const canvas = document.createElement("canvas");
  canvas.width = shape[1] * tile;
  canvas.height = shape[0] * tile;
  drawRows(canvas.getContext("2d"), art, segmentRows(segment, shape), tile);
  return canvas;
}

// Every cell's segment on a grid of `columns` cells per row, `tile` pixels per tile, in one pass.
export function drawThumbnails(ctx, art, segments, shape, columns, tile) {
  const [rows, width] = shape;
  const atlas = scaledAtlas(art, tile);
  const atlasWidth = art.ids.size * tile;
  const cellW = width * tile, cellH = rows * tile;
  const image = ctx.createImageData(columns * cellW, Math.ceil(segments.length / columns) * cellH);
  const out = image.data, outWidth = image.width;
  segments.forEach((segment, index) => {
    const left = (index % columns) * cellW, top = Math.floor(index / columns) * cellH;
    for (let ty = 0; ty < rows; ty++) {
      for (let tx = 0; tx < width; tx++) {
        const id = art.ids.get(segment[ty * width + tx]) ?? 2;
        for (let py = 0; py < tile; py++) {
          const from = (py * atlasWidth + id * tile) * 4;
          const to = ((top + ty * tile + py) * outWidth + left + tx * tile) * 4;
          out.set(atlas.subarray(from, from + tile * 4), to);
        }
      }
    }
  });
  ctx.putImageData(image, 0, 0);
}

// Colours of a value in [0, 1] (viridis, five stops).
const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
export function colour(t) {
  const x = Math.min(Math.max(t, 0), 1) * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(x), VIRIDIS.length - 2), f = x - i;
  return VIRIDIS[i].map((c, k) => Math.round(c + f * (VIRIDIS[i + 1][k] - c)));
}

// The replay: Mario moving along the agent's trace, tick by tick, on the level as played, with the
// enemies and other sprites of the sprite trace (simulator/PROTOCOL.md) moving with him.
import { ART, drawRows } from "./art.js";

const SCALE = 2; // canvas pixels per art pixel
const VIEW_COLUMNS = 20; // tiles shown across; the view follows Mario on wider levels
const BODY_MIDDLE = 8; // the path runs through the middle of small Mario's body
const SKY = "-", ENEMY = "E"; // with a sprite trace, the enemies are drawn where they are, not their tiles
const FACES_LEFT = 1, HAS_WINGS = 2, WINGED = "_winged"; // a sprite trace entry's flags

export class Replay {
  constructor(canvas, art, info, onChange) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.art = art;
    this.tickMs = info.tick_ms;
    this.colours = info.mode_colors.map((c) => `rgb(${c.join(",")})`);
    this.kinds = info.sprite_kinds;
    this.onChange = onChange;
    this.speed = 1;
    this.playing = false;
    this.trace = [];
  }

  load(played) {
    this.pause();
    this.trace = played.trace || [];
    this.telemetry = played.telemetry;
    this.sprites = played.sprites || null;
    const rows = this.sprites ? played.played_rows.map((row) => row.replaceAll(ENEMY, SKY)) : played.played_rows;
    this.rows = rows;
    this.level = document.createElement("canvas");
    this.level.width = rows[0].length * ART;
    this.level.height = rows.length * ART;
    drawRows(this.level.getContext("2d"), this.art, rows, ART);
    const columns = Math.min(rows[0].length, VIEW_COLUMNS);
    this.canvas.width = columns * ART * SCALE;
    this.canvas.height = rows.length * ART * SCALE;
    this.seek(0);
  }

  get ticks() { return this.trace.length; }
  get atEnd() { return this.tick >= this.ticks - 1; }

  seek(tick) {
    this.tick = Math.min(Math.max(Math.round(tick), 0), Math.max(this.ticks - 1, 0));
    this.draw();
  }

  step(ticks) { this.pause(); this.seek(this.tick + ticks); }

  setSpeed(speed) { this.speed = speed; }

  play() {
    if (this.playing || this.ticks === 0) return;
    if (this.atEnd) this.seek(0);
    this.playing = true;
    let last = performance.now(), owed = 0;
    const frame = (now) => {
      if (!this.playing) return;
      owed += (now - last) * this.speed;
      last = now;
      const ticks = Math.floor(owed / this.tickMs);
      if (ticks > 0) {
        owed -= ticks * this.tickMs;
        this.seek(this.tick + ticks);
      }
      if (this.atEnd) { this.pause(); return; }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    this.onChange?.(this);
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    this.onChange?.(this);
  }

  toggle() { this.playing ? this.pause() : this.play(); }

  draw() {
    const { ctx, canvas } = this;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (!this.level || this.ticks === 0) { this.report(); return; }
    const [x, y, mode] = this.trace[this.tick];
    const viewWidth = canvas.width / SCALE;
    const left = Math.min(Math.max(x - viewWidth / 2, 0), Math.max(this.level.width - viewWidth, 0));
    this.left = left;
    ctx.setTransform(SCALE, 0, 0, SCALE, -left * SCALE, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.level, 0, 0);
    this.drawFinish();
    this.drawPath();
    this.drawSprites(left, left + viewWidth);
    ctx.drawImage(this.art.mario, mode * ART, 0, ART, 2 * ART, x - ART / 2, y - 2 * ART, ART, 2 * ART);
    if (this.atEnd) this.drawOutcome(x, y - BODY_MIDDLE);
    this.report();
  }

  drawFinish() {
    const finish = this.telemetry.finish_x;
    if (!finish) return;
    const { ctx } = this;
    ctx.strokeStyle = "#22b14c";
    ctx.lineWidth = 2;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(finish, 0);
    ctx.lineTo(finish, this.level.height);
    ctx.stroke();
    ctx.setLineDash([]);
  }

  drawPath() {
    const { ctx } = this;
    ctx.lineWidth = 3;
    ctx.lineJoin = "round";
    for (let i = 1; i <= this.tick; i++) {
      const [x0, y0] = this.trace[i - 1], [x1, y1, mode] = this.trace[i];
      ctx.strokeStyle = this.colours[mode];
      ctx.beginPath();
      ctx.moveTo(x0, y0 - BODY_MIDDLE);
      ctx.lineTo(x1, y1 - BODY_MIDDLE);
      ctx.stroke();
    }
  }

  // The sprites of this tick between the view's edges: each kind's picture from the sprite sheet, mirrored
  // when it faces left; a piranha plant only above its pipe.
  drawSprites(viewLeft, viewRight) {
    const { ctx } = this;
    this.drawn = 0;
    for (const [kind, x, y, flags] of this.sprites?.[this.tick] ?? []) {
      if (x + ART / 2 < viewLeft || x - ART / 2 > viewRight) continue;
      let name = this.kinds[kind];
      if (name.endsWith(WINGED) && !(flags & HAS_WINGS)) name = name.slice(0, -WINGED.length);
      const cell = this.kinds.indexOf(name) - 1;
      ctx.save();
      if (name === "piranha_plant") {
        ctx.beginPath();
        ctx.rect(x - ART / 2, 0, ART, this.pipeTop(x, y));
        ctx.clip();
      }
      ctx.translate(x, y);
      if (flags & FACES_LEFT) ctx.scale(-1, 1);
      ctx.drawImage(this.art.sprites, cell * ART, 0, ART, 2 * ART, -ART / 2, -2 * ART, ART, 2 * ART);
      ctx.restore();
      this.drawn++;
    }
  }

  // The top of the first tile at or below y in x's column (a piranha plant's pipe), or the level's bottom.
  pipeTop(x, y) {
    const column = Math.floor(x / ART);
    for (let row = Math.max(Math.floor(y / ART), 0); row < this.rows.length; row++) {
      if ((this.rows[row][column] ?? SKY) !== SKY) return row * ART;
    }
    return this.level.height;
  }

  drawOutcome(x, y) {
    const { ctx } = this;
    const status = this.telemetry.status;
    ctx.font = "bold 10px system-ui, sans-serif";
    ctx.fillStyle = status === "win" ? "#22b14c" : "#ed1c24";
    ctx.strokeStyle = "#000";
    ctx.lineWidth = 3;
    const top = Math.min(Math.max(y - 12, 10), this.level.height - 4);
    ctx.strokeText(status, x - 10, top);
    ctx.fillText(status, x - 10, top);
  }

  report() {
    const data = this.canvas.dataset;
    data.tick = String(this.tick ?? 0);
    data.ticks = String(this.ticks);
    if (this.ticks) {
      const [x, y] = this.trace[this.tick];
      data.x = String(x);
      data.y = String(y);
      data.left = String(this.left);
      data.sprites = String(this.drawn);
    }
    this.onChange?.(this);
  }
}

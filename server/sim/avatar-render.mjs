/**
 * @file A synthetic talking head drawn straight into I420 (no canvas, no native code): a plain background,
 * hair, a face, blinking eyes and a mouth whose opening the caller sets. The static scene is drawn once;
 * each frame only repaints the eye or mouth region, and only when it changed.
 */

export const AVATAR_WIDTH = 360;
export const AVATAR_HEIGHT = 480;
export const BLINK_MS = 150;
const BLINK_GAP_MS = [2500, 5000];
const MOUTH_LEVELS = 12; // the opening is quantised, so a steady level repaints nothing
const SILENT_RMS = 0.008; // below this the mouth is closed
const LOUD_RMS = 0.12; // at or above this it is wide open

/** @typedef {{y: number, u: number, v: number}} Yuv */
/** @typedef {{x0: number, y0: number, x1: number, y1: number}} Rect even-aligned, exclusive end */
/** @typedef {{width: number, height: number, data: Uint8Array}} I420Frame */

/**
 * BT.601 limited-range YUV of an sRGB colour.
 * @param {number} r 0…255
 * @param {number} g
 * @param {number} b
 * @returns {Yuv}
 */
export function rgbToYuv(r, g, b) {
  return {
    y: Math.round(16 + 0.2568 * r + 0.5041 * g + 0.0979 * b),
    u: Math.round(128 - 0.1482 * r - 0.291 * g + 0.4392 * b),
    v: Math.round(128 + 0.4392 * r - 0.3678 * g - 0.0714 * b),
  };
}

const COLORS = Object.freeze({
  background: rgbToYuv(196, 214, 228),
  hair: rgbToYuv(58, 40, 30),
  skin: rgbToYuv(232, 188, 160),
  skinShadow: rgbToYuv(206, 158, 132),
  shirt: rgbToYuv(46, 112, 128),
  brow: rgbToYuv(70, 48, 36),
  eyeWhite: rgbToYuv(246, 244, 240),
  iris: rgbToYuv(86, 60, 40),
  pupil: rgbToYuv(20, 16, 14),
  lash: rgbToYuv(60, 38, 30),
  lips: rgbToYuv(186, 96, 96),
  mouth: rgbToYuv(90, 30, 36),
  teeth: rgbToYuv(240, 238, 230),
});

const EYES = { left: 138, right: 222, y: 206 };
const MOUTH = { x: 180, y: 318 };
/** @type {Rect} */
const EYE_REGION = { x0: 110, y0: 188, x1: 250, y1: 224 };
/** @type {Rect} */
const MOUTH_REGION = { x0: 136, y0: 288, x1: 224, y1: 350 };

/**
 * The three planes of one I420 buffer.
 */
class Planes {
  /** @param {Uint8Array} data */
  constructor(data) {
    const lumaSize = AVATAR_WIDTH * AVATAR_HEIGHT;
    this.data = data;
    this.y = data.subarray(0, lumaSize);
    this.u = data.subarray(lumaSize, lumaSize * 1.25);
    this.v = data.subarray(lumaSize * 1.25, lumaSize * 1.5);
  }

  /** @returns {Planes} a new, blank buffer */
  static create() {
    return new Planes(new Uint8Array(AVATAR_WIDTH * AVATAR_HEIGHT * 1.5));
  }

  /** @param {Yuv} color */
  fill(color) {
    this.y.fill(color.y);
    this.u.fill(color.u);
    this.v.fill(color.v);
  }

  /**
   * Copies a rectangle from another buffer of the same size.
   * @param {Planes} source
   * @param {Rect} rect
   */
  copyRect(source, { x0, y0, x1, y1 }) {
    for (let row = y0; row < y1; row++) {
      const at = row * AVATAR_WIDTH;
      this.y.set(source.y.subarray(at + x0, at + x1), at + x0);
    }
    const half = AVATAR_WIDTH / 2;
    for (let row = y0 / 2; row < y1 / 2; row++) {
      const at = row * half;
      this.u.set(source.u.subarray(at + x0 / 2, at + x1 / 2), at + x0 / 2);
      this.v.set(source.v.subarray(at + x0 / 2, at + x1 / 2), at + x0 / 2);
    }
  }

  /**
   * Fills an axis-aligned ellipse with a one-pixel soft edge (luma at full, chroma at half resolution).
   * @param {number} cx centre
   * @param {number} cy
   * @param {number} rx radii, in pixels
   * @param {number} ry
   * @param {Yuv} color
   */
  ellipse(cx, cy, rx, ry, color) {
    if (rx <= 0 || ry <= 0) return;
    const coverage = (/** @type {number} */ x, /** @type {number} */ y) => {
      const distance = (Math.hypot((x - cx) / rx, (y - cy) / ry) - 1) * Math.min(rx, ry); // ≈ pixels outside
      return Math.min(1, Math.max(0, 0.5 - distance));
    };
    const xs = clampRange(cx - rx - 1, cx + rx + 1, AVATAR_WIDTH);
    const ys = clampRange(cy - ry - 1, cy + ry + 1, AVATAR_HEIGHT);
    for (let y = ys[0]; y <= ys[1]; y++) {
      for (let x = xs[0]; x <= xs[1]; x++) blend(this.y, y * AVATAR_WIDTH + x, color.y, coverage(x + 0.5, y + 0.5));
    }
    const half = AVATAR_WIDTH / 2;
    for (let y = ys[0] >> 1; y <= ys[1] >> 1; y++) {
      for (let x = xs[0] >> 1; x <= xs[1] >> 1; x++) {
        const alpha = coverage(2 * x + 1, 2 * y + 1);
        blend(this.u, y * half + x, color.u, alpha);
        blend(this.v, y * half + x, color.v, alpha);
      }
    }
  }

  /**
   * @param {Rect} rect
   * @param {Yuv} color
   */
  rect({ x0, y0, x1, y1 }, color) {
    for (let row = y0; row < y1; row++) this.y.fill(color.y, row * AVATAR_WIDTH + x0, row * AVATAR_WIDTH + x1);
    const half = AVATAR_WIDTH / 2;
    for (let row = y0 / 2; row < y1 / 2; row++) {
      this.u.fill(color.u, row * half + x0 / 2, row * half + x1 / 2);
      this.v.fill(color.v, row * half + x0 / 2, row * half + x1 / 2);
    }
  }
}

/**
 * @param {number} from
 * @param {number} to
 * @param {number} size
 * @returns {[number, number]} inclusive integer range within [0, size)
 */
function clampRange(from, to, size) {
  return [Math.max(0, Math.floor(from)), Math.min(size - 1, Math.ceil(to))];
}

/**
 * @param {Uint8Array} plane
 * @param {number} index
 * @param {number} value 0…255
 * @param {number} alpha 0…1
 */
function blend(plane, index, value, alpha) {
  if (alpha >= 1) plane[index] = value;
  else if (alpha > 0) plane[index] = Math.round(plane[index] + (value - plane[index]) * alpha);
}

/**
 * Everything that never moves: background, shoulders, neck, ears, hair, face, brows, nose.
 * The eye and mouth regions are left as bare skin.
 * @returns {Planes}
 */
function drawStaticScene() {
  const p = Planes.create();
  p.fill(COLORS.background);
  p.ellipse(180, 575, 205, 165, COLORS.shirt);
  p.rect({ x0: 142, y0: 330, x1: 218, y1: 430 }, COLORS.skinShadow);
  p.ellipse(180, 430, 38, 14, COLORS.skinShadow);
  p.ellipse(70, 238, 15, 27, COLORS.skinShadow);
  p.ellipse(290, 238, 15, 27, COLORS.skinShadow);
  p.ellipse(180, 226, 128, 152, COLORS.hair);
  p.ellipse(180, 238, 112, 146, COLORS.skin);
  p.ellipse(180, 120, 104, 44, COLORS.hair); // fringe
  p.ellipse(EYES.left, EYES.y - 24, 24, 4.5, COLORS.brow);
  p.ellipse(EYES.right, EYES.y - 24, 24, 4.5, COLORS.brow);
  p.ellipse(180, 274, 10, 6, COLORS.skinShadow);
  p.ellipse(180, 250, 4, 20, rgbToYuv(224, 180, 152));
  return p;
}

/**
 * @param {Planes} p
 * @param {boolean} closed
 */
function drawEyes(p, closed) {
  for (const x of [EYES.left, EYES.right]) {
    if (closed) {
      p.ellipse(x, EYES.y + 2, 20, 2.5, COLORS.lash);
      continue;
    }
    p.ellipse(x, EYES.y, 20, 11, COLORS.eyeWhite);
    p.ellipse(x, EYES.y, 9, 9, COLORS.iris);
    p.ellipse(x, EYES.y, 4, 4, COLORS.pupil);
    p.ellipse(x + 3, EYES.y - 3, 1.8, 1.8, COLORS.eyeWhite);
    p.ellipse(x, EYES.y - 10, 21, 2, COLORS.lash); // upper lid line
  }
}

/**
 * @param {Planes} p
 * @param {number} opening 0 (closed) … 1 (wide)
 */
function drawMouth(p, opening) {
  const { x, y } = MOUTH;
  if (opening <= 0) {
    p.ellipse(x, y, 32, 5, COLORS.lips);
    p.ellipse(x, y, 29, 1.2, COLORS.mouth);
    return;
  }
  const innerRy = 2 + 15 * opening;
  p.ellipse(x, y, 34 + 4 * opening, innerRy + 5, COLORS.lips);
  p.ellipse(x, y, 27 + 2 * opening, innerRy, COLORS.mouth);
  if (opening > 0.35) p.ellipse(x, y - innerRy * 0.62, 17, Math.min(5, innerRy * 0.28), COLORS.teeth);
}

/**
 * How wide the mouth opens for a voice level.
 * @param {number} rms RMS of the audio just sent, 0…1 of full scale
 * @returns {number} 0 (closed, silence) … 1 (wide, loud), quantised
 */
export function mouthOpening(rms) {
  const open = Math.min(1, Math.max(0, (rms - SILENT_RMS) / (LOUD_RMS - SILENT_RMS)));
  return Math.round(open * MOUTH_LEVELS) / MOUTH_LEVELS;
}

/**
 * Decides when the eyes are shut: for BLINK_MS, every 2.5–5 s (random).
 */
export class Blinker {
  #random;
  #nextAt;

  /**
   * @param {number} nowMs start time, on the caller's clock
   * @param {() => number} [random] 0 ≤ r < 1
   */
  constructor(nowMs, random = Math.random) {
    this.#random = random;
    this.#nextAt = nowMs + this.#gap();
  }

  /**
   * @param {number} nowMs on the same clock as the constructor's, not decreasing
   * @returns {boolean} whether the eyes are closed at that time
   */
  closed(nowMs) {
    if (nowMs < this.#nextAt) return false;
    if (nowMs < this.#nextAt + BLINK_MS) return true;
    this.#nextAt = nowMs + this.#gap();
    return false;
  }

  #gap() {
    return BLINK_GAP_MS[0] + this.#random() * (BLINK_GAP_MS[1] - BLINK_GAP_MS[0]);
  }
}

/**
 * Produces the talking-head frames. One buffer is reused for every frame: the consumer must copy it
 * (wrtc's RTCVideoSource.onFrame does) before the next render().
 */
export class AvatarRenderer {
  #base = drawStaticScene();
  #frame = Planes.create();
  /** @type {boolean|null} eye state in #frame */
  #eyesClosed = null;
  /** @type {number|null} mouth opening in #frame */
  #mouth = null;

  constructor() {
    this.#frame.data.set(this.#base.data);
  }

  /**
   * @param {{eyesClosed: boolean, mouth: number}} state mouth: 0…1 as from {@link mouthOpening}
   * @returns {I420Frame}
   */
  render({ eyesClosed, mouth }) {
    if (eyesClosed !== this.#eyesClosed) {
      this.#frame.copyRect(this.#base, EYE_REGION);
      drawEyes(this.#frame, eyesClosed);
      this.#eyesClosed = eyesClosed;
    }
    if (mouth !== this.#mouth) {
      this.#frame.copyRect(this.#base, MOUTH_REGION);
      drawMouth(this.#frame, mouth);
      this.#mouth = mouth;
    }
    return { width: AVATAR_WIDTH, height: AVATAR_HEIGHT, data: this.#frame.data };
  }
}

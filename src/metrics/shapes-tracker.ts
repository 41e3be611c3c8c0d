/**
 * A classical tracker for the moving-shapes data set (`src/data/shapes.ts`), and the data's motion model as a
 * per-clip judgement: does the one shape of a clip move as shapes in the data set do? No learned network.
 *
 * Tracking: the data's shapes are saturated colours (a channel >= 0.8 in 0..1 units) on muted backgrounds (every
 * channel <= 0.5), so a pixel belongs to the shape when its largest channel is above `SHAPE_THRESHOLD` (0.65,
 * between the two ranges). Per frame the mask's area and centroid, with its edge pixels weighted by how bright they
 * are (`trackShape`; pixel centres at y + 0.5, x + 0.5, the convention of `ShapesMeta.track`), are the shape's
 * size and position.
 *
 * The data's motion model: a constant velocity per axis, speed 0.6 to 1.8 px/frame at 32x32 (scaling with the
 * size), a straight path or one that reflects off the walls (a velocity component changes sign where the shape
 * touches a wall; in 9 frames each axis reflects at most once), the shape present in every frame with a constant
 * area. The track is fitted per axis by least squares with that model: a straight line x = a + v t, or a line
 * that reflects once, x = w + s |t - tau| (a V whose two arms have the same speed |s|, apex w at frame tau,
 * anywhere between the first and the last frame), allowed only where the apex w lies where a shape of the data's
 * sizes touches a wall. The track residual is the RMS distance (px) of the centroids from the fitted path over both
 * axes and all frames; the speed is that of the fitted velocities. A clip moves as the data do when the shape is
 * found in every frame, the residual, the relative area range and the speed are within bounds calibrated on the
 * data set (docs/metrics.md "Moving-shapes judgements"): arrays in, numbers out.
 */

/** A pixel is the shape's when its largest channel (0..1) exceeds this: backgrounds <= 0.5, shapes >= 0.8. */
export const SHAPE_THRESHOLD = 0.65;

/**
 * The bounds of a clip that moves as the data do, at 32x32 (lengths scale with min(H, W) / 32), calibrated on
 * data clips (docs/metrics.md "Moving-shapes judgements" gives the calibration and its command).
 */
export const MOTION_BOUNDS = Object.freeze({
  /** A frame shows the shape when its mask has at least this many pixels (the smallest data shape has about 25). */
  minArea: 10,
  /** Largest RMS distance of the centroids from the fitted path, px. */
  maxResidual: 0.16,
  /** Largest (max - min) / mean of the per-frame (soft) areas. */
  maxAreaRange: 0.16,
  /** Fitted speed range, px/frame (the data draw 0.6 to 1.8). */
  minSpeed: 0.55,
  maxSpeed: 1.85,
  /** Where a reflection's apex may lie: its distance from the wall, px (shape radius 5 to 8, plus 0.5). */
  wallNear: 4.5,
  wallFar: 9.5,
});

/**
 * One clip's track: per frame the shape's pixel count (the mask), its soft area and centroid (y, x in pixels;
 * NaN where the mask is empty).
 */
export interface ShapeTrack {
  readonly frames: number;
  /** Pixels above the threshold. */
  readonly pixels: Float64Array;
  /** Sum of the soft weights (pixels). */
  readonly area: Float64Array;
  readonly cy: Float64Array;
  readonly cx: Float64Array;
}

/**
 * Tracks the shape in one clip [C, T, H, W] of values in [-1, 1] (`shapesVideo`'s layout). Per frame, m is each
 * pixel's largest channel mapped to 0..1; the mask is m > `SHAPE_THRESHOLD`. The centroid and area weigh the
 * mask's pixels and the ring of pixels next to them (8-neighbours) by clamp((m - 0.5) / 0.3, 0, 1): 0 at the
 * backgrounds' ceiling, 1 at the shapes' floor, so a pixel the shape's edge half covers counts about half (a
 * binary mask's centroid is off by up to 0.62 px on 300 data clips, this one by 0.37 px, docs/metrics.md);
 * pixels away from the mask never count, so a slightly bright background does not pull the centroid.
 */
export function trackShape(values: Float32Array, shape: readonly [number, number, number, number]): ShapeTrack {
  const [C, T, H, W] = shape;
  if (values.length !== C * T * H * W)
    throw new RangeError(`trackShape: ${values.length} values do not fill a clip [${shape.join(', ')}] (${C * T * H * W})`);
  const pixels = new Float64Array(T);
  const area = new Float64Array(T);
  const cy = new Float64Array(T);
  const cx = new Float64Array(T);
  const plane = H * W;
  const m = new Float64Array(plane);
  for (let t = 0; t < T; t++) {
    for (let p = 0; p < plane; p++) {
      let v = -Infinity;
      for (let c = 0; c < C; c++) v = Math.max(v, values[(c * T + t) * plane + p]);
      m[p] = (v + 1) / 2;
    }
    let count = 0;
    let n = 0;
    let sy = 0;
    let sx = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        if (m[y * W + x] > SHAPE_THRESHOLD) count++;
        let near = false;
        for (let yy = Math.max(0, y - 1); yy <= Math.min(H - 1, y + 1) && !near; yy++)
          for (let xx = Math.max(0, x - 1); xx <= Math.min(W - 1, x + 1) && !near; xx++) near = m[yy * W + xx] > SHAPE_THRESHOLD;
        if (!near) continue;
        const w = Math.min(1, Math.max(0, (m[y * W + x] - 0.5) / 0.3));
        n += w;
        sy += w * (y + 0.5);
        sx += w * (x + 0.5);
      }
    }
    pixels[t] = count;
    area[t] = n;
    cy[t] = n > 0 ? sy / n : NaN;
    cx[t] = n > 0 ? sx / n : NaN;
  }
  return { frames: T, pixels, area, cy, cx };
}

/** The least-squares fit of one axis's positions by the data's motion model. */
export interface AxisFit {
  readonly kind: 'straight' | 'reflected';
  /** Velocity along the axis, px/frame (for a reflection, as before it). */
  readonly velocity: number;
  /** Sum of squared residuals, px^2. */
  readonly sse: number;
  /** For a reflection: the apex position (px) and time (frames). */
  readonly apex?: number;
  readonly apexTime?: number;
}

/** Least squares of p ~ a * u + b * v over the frames (2 x 2 normal equations); null when singular. */
function fit2(p: ArrayLike<number>, u: (t: number) => number, v: (t: number) => number): { a: number; b: number; sse: number } | null {
  let uu = 0;
  let uv = 0;
  let vv = 0;
  let up = 0;
  let vp = 0;
  for (let t = 0; t < p.length; t++) {
    const [a, b] = [u(t), v(t)];
    uu += a * a;
    uv += a * b;
    vv += b * b;
    up += a * p[t];
    vp += b * p[t];
  }
  const det = uu * vv - uv * uv;
  if (!(Math.abs(det) > 1e-12 * Math.max(1, uu * vv))) return null;
  const a = (up * vv - vp * uv) / det;
  const b = (vp * uu - up * uv) / det;
  let sse = 0;
  for (let t = 0; t < p.length; t++) sse += (p[t] - a * u(t) - b * v(t)) ** 2;
  return { a, b, sse };
}

/**
 * Fits positions p_0..p_{T-1} (px) along an axis of `extent` px (scale = min(H, W) / 32) by the data's motion
 * model: the straight line, or a reflected line x = w + s |t - tau| whose apex w lies `wallNear..wallFar` (times
 * scale) from the wall it turns at (s < 0: the far wall, s > 0: the near wall), tau in [0, T - 1]. The reflected
 * fit is exact: for each frame interval [k, k + 1] the apex time is free inside it (a linear least squares in
 * w + s tau, w - s tau and s) or at one of its ends. Returns the fit with the smaller residual.
 */
export function fitAxis(p: ArrayLike<number>, extent: number, scale = 1): AxisFit {
  const T = p.length;
  const line = fit2(
    p,
    () => 1,
    (t) => t,
  )!;
  let best: AxisFit = { kind: 'straight', velocity: line.b, sse: line.sse };
  const allowed = (w: number, s: number) => {
    const fromWall = s < 0 ? extent - w : w;
    return fromWall >= MOTION_BOUNDS.wallNear * scale && fromWall <= MOTION_BOUNDS.wallFar * scale;
  };
  const consider = (w: number, s: number, tau: number, sse: number) => {
    // an apex at the first or last frame is the straight line
    if (tau > 0 && tau < T - 1 && sse < best.sse && allowed(w, s)) best = { kind: 'reflected', velocity: -s, sse, apex: w, apexTime: tau };
  };
  for (let k = 0; k < T - 1; k++) {
    // p_t = alpha - s t (t <= k), beta + s t (t > k); alpha = w + s tau, beta = w - s tau
    let n1 = 0;
    let n2 = 0;
    let st1 = 0;
    let st2 = 0;
    let sp1 = 0;
    let sp2 = 0;
    let stt = 0;
    let stp = 0;
    for (let t = 0; t < T; t++) {
      if (t <= k) {
        n1++;
        st1 -= t;
        sp1 += p[t];
        stp -= t * p[t];
      } else {
        n2++;
        st2 += t;
        sp2 += p[t];
        stp += t * p[t];
      }
      stt += t * t;
    }
    // normal equations for (alpha, beta, s) with regressors [t<=k], [t>k], sign t
    const M = [
      [n1, 0, st1],
      [0, n2, st2],
      [st1, st2, stt],
    ];
    const rhs = [sp1, sp2, stp];
    const sol = solve3(M, rhs);
    if (sol) {
      const [alpha, beta, s] = sol;
      const tau = s !== 0 ? (alpha - beta) / (2 * s) : NaN;
      if (tau >= k && tau <= k + 1) {
        let sse = 0;
        for (let t = 0; t < T; t++) sse += (p[t] - (t <= k ? alpha - s * t : beta + s * t)) ** 2;
        consider((alpha + beta) / 2, s, tau, sse);
      }
    }
    // the apex at an end of the interval: p_t = w + s |t - tau|
    for (const tau of [k, k + 1]) {
      const f = fit2(
        p,
        () => 1,
        (t) => Math.abs(t - tau),
      );
      if (f) consider(f.a, f.b, tau, f.sse);
    }
  }
  return best;
}

/** Solves a 3 x 3 system by Cramer's rule; null when singular. */
function solve3(M: number[][], r: number[]): [number, number, number] | null {
  const det = (m: number[][]) =>
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
    m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
    m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const d = det(M);
  if (!(Math.abs(d) > 1e-9)) return null;
  const col = (j: number) => M.map((row, i) => row.map((v, k) => (k === j ? r[i] : v)));
  return [det(col(0)) / d, det(col(1)) / d, det(col(2)) / d];
}

/**
 * Throws unless clips of T frames suit the motion model: at least 4 frames (a reflected fit has 3 parameters per
 * axis) and at most 9 (in 9 frames a data shape travels at most 8 x 1.8 = 14.4 px per axis, less than the 15 px
 * between its walls, so it reflects at most once per axis, as the fit assumes).
 */
export function checkMotionFrames(T: number, where: string): void {
  if (!(Number.isInteger(T) && T >= 4 && T <= 9))
    throw new RangeError(
      `${where}: clips of ${T} frames; the moving-shapes motion model is fitted on 4 to 9 frames (one reflection per axis at most)`,
    );
}

/** What the tracker measures of one clip against the data's motion model. */
export interface MotionMeasure {
  /** Frames whose mask has at least `minArea` (scaled) pixels. */
  readonly framesFound: number;
  readonly frames: number;
  /** RMS distance of the centroids from the fitted path over both axes, px (NaN unless found in every frame). */
  readonly residual: number;
  /** (max - min) / mean of the per-frame areas (NaN unless found in every frame). */
  readonly areaRange: number;
  /** Speed of the fitted velocities, px/frame (NaN unless found in every frame). */
  readonly speed: number;
}

/** Measures one clip [C, T, H, W] in [-1, 1]: track, then fit (see the file header); lengths are in pixels. */
export function measureMotion(values: Float32Array, shape: readonly [number, number, number, number]): MotionMeasure {
  const [, T, H, W] = shape;
  checkMotionFrames(T, 'measureMotion');
  const scale = Math.min(H, W) / 32;
  const track = trackShape(values, shape);
  const found = Array.from(track.pixels).filter((a) => a >= MOTION_BOUNDS.minArea * scale * scale).length;
  if (found < T) return { framesFound: found, frames: T, residual: NaN, areaRange: NaN, speed: NaN };
  const fy = fitAxis(track.cy, H, scale);
  const fx = fitAxis(track.cx, W, scale);
  const areas = Array.from(track.area);
  const meanArea = areas.reduce((a, b) => a + b, 0) / T;
  return {
    framesFound: found,
    frames: T,
    residual: Math.sqrt((fy.sse + fx.sse) / (2 * T)),
    areaRange: (Math.max(...areas) - Math.min(...areas)) / meanArea,
    speed: Math.hypot(fy.velocity, fx.velocity),
  };
}

/**
 * Whether a measured clip moves as the data do (`MOTION_BOUNDS`, lengths times `scale` = min(H, W) / 32): the
 * shape found in every frame, residual, relative area range and speed within bounds.
 */
export function movesAsData(m: MotionMeasure, scale = 1): boolean {
  const b = MOTION_BOUNDS;
  return (
    m.framesFound === m.frames &&
    m.residual <= b.maxResidual * scale &&
    m.areaRange <= b.maxAreaRange &&
    m.speed >= b.minSpeed * scale &&
    m.speed <= b.maxSpeed * scale
  );
}

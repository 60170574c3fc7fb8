/**
 * The arithmetic of the control score, in integers only.
 *
 * Points are multiples of 0.05, so each is held as an integer: twentieths k in 0..20 while it is being worked out,
 * hundredths h = 5k in 0..100 in the result (the unit users read). A weight w is 1..3, so a contribution w·h is an
 * integer, and so are the sums S = Σ w·h and W = Σ w over the scorable questions.
 *
 * C = 100 × Σ(w·p) / Σw = S / W points exactly (h already carries the factor 100). In tenths of a point that is
 * 10·S / W, rounded half-up: floor((10·S / W) + 1/2) = floor((20·S + W) / (2·W)), a single integer floor-division.
 * Rounding once from the exact fraction avoids the double rounding of going through hundredths first (84.949… would
 * become 84.95 and then 85.0), and no floating-point sum is ever compared with 85, 70 or 50: 0.1 + 0.2 + … in binary
 * floating point can land on 84.94999… and drop a whole likelihood band.
 *
 * The floor-division is done as (a − a mod b) / b: for safe integers `%` is exact, and the division of an exact
 * multiple is exact, so no division result is rounded by the hardware either.
 */

/** Points as twentieths (0..20) from the template's decimal (0..1 in steps of 0.05, checked when it loaded). */
export function toTwentieths(points: number): number {
  const k = Math.round(points * 20);
  if (!(k >= 0 && k <= 20) || Math.abs(points * 20 - k) > 1e-9) {
    throw new RangeError(`points must be 0..1 in steps of 0.05, got ${points}`);
  }
  return k;
}

/** floor(a / b) for non-negative safe integers a and b > 0, without a rounded division. */
export function floorDiv(a: number, b: number): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a < 0 || b <= 0) {
    throw new RangeError(`floorDiv needs safe integers a ≥ 0, b > 0, got ${a}, ${b}`);
  }
  return (a - (a % b)) / b;
}

/**
 * The control score in tenths of a point, rounded half-up, from S = Σ w·h (hundredths) and W = Σ w; null when W is 0
 * (nothing scorable: a score of 0 would claim "no controls", which nobody answered).
 */
export function controlScoreTenths(sumWeightedHundredths: number, sumWeights: number): number | null {
  if (sumWeights === 0) return null;
  return floorDiv(20 * sumWeightedHundredths + sumWeights, 2 * sumWeights);
}

/** Tenths as the number users see (875 → 87.5); tenths / 10 is the nearest double to the one-decimal value. */
export function tenthsToNumber(tenths: number | null): number | null {
  return tenths === null ? null : tenths / 10;
}

/** Tenths as display text with one decimal, built from integers (875 → '87.5', 1000 → '100.0'). */
export function tenthsToText(tenths: number | null): string | null {
  if (tenths === null) return null;
  return `${floorDiv(tenths, 10)}.${tenths % 10}`;
}

/** Hundredths as a points decimal (95 → 0.95), for display next to the exact integer. */
export function hundredthsToPoints(h: number): number {
  return h / 100;
}

import { randomFillSync } from 'node:crypto';

/**
 * Laplace noise for differential privacy, from the operating system's cryptographic random source:
 * a seeded or predictable generator would let someone who knows its state subtract the noise.
 */

/** A uniform draw in the open interval (0, 1). */
export type Uniform = () => number;

const pool = new BigUint64Array(512);
let next = pool.length;

/** Uniform in (0, 1) with 53 random bits, never 0 or 1 (the logarithm below needs both out). */
export const cryptoUniform: Uniform = () => {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const k = Number(pool[next++]! >> 11n); // 53 bits
  return (k + 0.5) / 2 ** 53;
};

/**
 * One draw of Laplace(0, scale) by the inverse of its distribution function. Scale 0 is no noise.
 * A draw of 0.5 gives exactly 0, which is how tests switch noise off without touching the code path.
 */
export function laplace(scale: number, uniform: Uniform = cryptoUniform): number {
  if (!(scale >= 0) || !Number.isFinite(scale)) throw new RangeError(`a Laplace scale is finite and >= 0, not ${scale}`);
  if (scale === 0) return 0;
  const u = uniform() - 0.5;
  if (!(u > -0.5 && u < 0.5)) throw new RangeError('the uniform source must draw from the open interval (0, 1)');
  const x = -scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
  return x === 0 ? 0 : x; // not -0
}

/**
 * A count with noise as published: rounded to a whole number and never below 0. Both are
 * post-processing, which differential privacy is closed under; rounding also hides the low-order
 * bits of the floating-point draw, through which an unrounded Laplace sample can leak the true value
 * (Mironov, "On significance of the least significant bits for differential privacy", 2012).
 */
export function noisyCount(value: number, scale: number, uniform: Uniform = cryptoUniform): number {
  return Math.max(0, Math.round(value + laplace(scale, uniform)));
}

/**
 * One draw of the discrete Laplace distribution (the two-sided geometric): P(k) ∝ exp(-|k| / scale)
 * over the integers, the difference of two geometric draws. For a count or an integer sum with L1
 * sensitivity Δ, scale Δ / ε is ε-differentially private (Ghosh, Roughgarden and Sundararajan,
 * "Universally utility-maximizing privacy mechanisms", 2009). Its draws are whole numbers, so no
 * low-order bits of a floating-point sample reach what is published. Scale 0 is no noise, and a
 * uniform source that always draws the same value gives 0 (the two geometric draws cancel), which is
 * how tests switch the noise off, as with laplace().
 */
export function discreteLaplace(scale: number, uniform: Uniform = cryptoUniform): number {
  if (!(scale >= 0) || !Number.isFinite(scale)) throw new RangeError(`a discrete Laplace scale is finite and >= 0, not ${scale}`);
  if (scale === 0) return 0;
  // A geometric draw on {0, 1, …} with P(k) = (1 - q) q^k, q = exp(-1/scale), by inversion.
  const geometric = () => {
    const u = uniform();
    if (!(u > 0 && u < 1)) throw new RangeError('the uniform source must draw from the open interval (0, 1)');
    return Math.floor(Math.log(u) / (-1 / scale));
  };
  const k = geometric() - geometric();
  return k === 0 ? 0 : k;
}

/** The variance of discreteLaplace(scale): 2q / (1 - q)², q = exp(-1/scale). */
export function discreteLaplaceVariance(scale: number): number {
  if (scale === 0) return 0;
  const q = Math.exp(-1 / scale);
  return (2 * q) / (1 - q) ** 2;
}

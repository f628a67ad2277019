/**
 * Deterministic randomness for the data generator: the same seed gives the
 * same rows, ids and timestamps on every machine, so runs compare.
 */

/** A small, fast, seedable PRNG (sfc32) with helpers. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    this.a = 0x9e3779b9 ^ stream;
    this.b = 0x243f6a88 ^ seed;
    this.c = 0xb7e15162 ^ Math.imul(seed, 31);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** A uint32. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next() / 4_294_967_296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Picks an index by weights (need not sum to 1). */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((s, w) => s + w, 0);
    let x = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  hex(bytes: number): string {
    let s = '';
    for (let i = 0; i < bytes; i += 4) s += this.next().toString(16).padStart(8, '0');
    return s.slice(0, bytes * 2);
  }
}

/**
 * A UUIDv7 for a given instant with deterministic random bits: ids sort by
 * creation time, as the server's own uuidv7() ids do.
 */
export function uuidv7At(ms: number, rng: Rng): string {
  const ts = Math.floor(ms).toString(16).padStart(12, '0');
  const r = rng.hex(10);
  const variant = ((parseInt(r[3]!, 16) & 0x3) | 0x8).toString(16);
  return `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7${r.slice(0, 3)}-${variant}${r.slice(4, 7)}-${r.slice(7, 19)}`;
}

/** A fixed UUID for named singletons (tenants, users, pipelines), stable across runs. */
export function namedUuid(seed: number, name: string): string {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return uuidv7At(Date.UTC(2023, 0, 1), new Rng(seed, h >>> 0));
}

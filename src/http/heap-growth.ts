import { setFlagsFromString } from 'node:v8';

/**
 * Sets how far the heap grows past what the last full garbage collection kept before the next one
 * (AURORA_HEAP_GROWTH_PERCENT; 0 leaves V8's own choice). A server's heap is mostly the recommender
 * index, which each full collection marks whole, holding the requests in flight meanwhile (0.5-0.9 s
 * at 100,000 services on a loaded machine); V8 sizes the next limit from how fast it collects, not
 * from what its pauses cost the requests, and keeps it about 10 % above the live heap.
 *
 * V8 reads the flag each time it sets a new limit, so setting it in a running process takes effect
 * from the next collection on (checked by heap-growth.test.ts). `aurora serve` sets it; other
 * commands (an import, a CLI query) keep V8's default.
 */
export function setHeapGrowth(percent: number): void {
  if (!Number.isInteger(percent) || percent < 0) throw new RangeError(`heap growth is a whole number of percent, not ${percent}`);
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}

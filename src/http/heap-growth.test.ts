import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { setHeapGrowth } from './heap-growth.ts';

/**
 * In a process of its own (the flag is V8's, for the whole process): the heap is collected fully,
 * then grows by objects that stay alive until V8 starts its next full collection. Answers how much
 * it had grown by then, as a share of what the full collection kept.
 */
function growthBeforeNextFullCollection(percent: number): number {
  const module = pathToFileURL(new URL(import.meta.url).pathname.replace(/\.test\.(ts|js)$/, '.$1')).href;
  const script = `
    import { PerformanceObserver, constants } from 'node:perf_hooks';
    const { setHeapGrowth } = await import(${JSON.stringify(module)});
    setHeapGrowth(${percent});
    const kept = [];
    for (let i = 0; i < 1_500_000; i++) kept.push({ i, text: 'live ' + i });
    globalThis.gc();
    globalThis.gc();
    const live = process.memoryUsage().heapUsed;
    let full = false;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) full = true; }).observe({ entryTypes: ['gc'] });
    let grown = 0;
    while (!full && grown < 8 * live) {
      for (let i = 0; i < 20_000; i++) kept.push({ i, text: 'more ' + i });
      grown = process.memoryUsage().heapUsed - live;
      await new Promise((resolve) => setImmediate(resolve));
    }
    process.stdout.write(String(grown / live));
  `;
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  return Number(out);
}

test('the heap grows about as far as the setting says before the next full collection', () => {
  const tight = growthBeforeNextFullCollection(10);
  const loose = growthBeforeNextFullCollection(200);
  assert.ok(tight < 0.6, `at 10 %: grew ${tight.toFixed(2)} of the live heap first`);
  assert.ok(loose > 1.5, `at 200 %: grew only ${loose.toFixed(2)} of the live heap first`);
});

test('a heap growth that is not a whole number of percent is refused', () => {
  assert.throws(() => setHeapGrowth(-1), RangeError);
  assert.throws(() => setHeapGrowth(1.5), RangeError);
});

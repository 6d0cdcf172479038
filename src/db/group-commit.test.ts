import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GroupCommit } from './group-commit.ts';

/** A write that is held until released, recording the batches it was given. */
function heldWriter<T>(answer: (item: T) => string | Error = (item) => `done ${String(item)}`) {
  const batches: T[][] = [];
  const releases: (() => void)[] = [];
  const write = async (items: readonly T[]) => {
    batches.push([...items]);
    await new Promise<void>((resolve) => releases.push(resolve));
    const answers = items.map(answer);
    const failed = answers.find((a) => a instanceof Error);
    if (failed) throw failed;
    return answers as string[];
  };
  /** Lets the oldest held write, if any, finish. */
  const releaseOldest = () => releases.shift()?.();
  return { batches, write, releaseOldest };
}

/** Releases held writes one at a time until every promise has settled. */
async function settleAll(promises: Promise<unknown>[], writer: { releaseOldest(): void }) {
  let settled = false;
  const all = Promise.allSettled(promises).finally(() => (settled = true));
  while (!settled) {
    writer.releaseOldest();
    await new Promise((r) => setImmediate(r));
  }
  return all;
}

describe('group commit', () => {
  test('items added together go as one batch; items added while it is written go as the next', async () => {
    const writer = heldWriter<number>();
    const commit = new GroupCommit<number, string>({ write: writer.write });
    const first = [1, 2, 3].map((i) => commit.add(i));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(writer.batches, [[1, 2, 3]]);
    const second = [4, 5].map((i) => commit.add(i));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(writer.batches, [[1, 2, 3]], 'nothing more is written while a batch is being written');
    const results = await settleAll([...first, ...second], writer);
    assert.deepEqual(writer.batches, [
      [1, 2, 3],
      [4, 5],
    ]);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason)),
      ['done 1', 'done 2', 'done 3', 'done 4', 'done 5'],
    );
  });

  test('each caller gets its own item’s result, in the order written', async () => {
    const commit = new GroupCommit<string, string>({ write: async (items) => items.map((i) => i.toUpperCase()) });
    const order: string[] = [];
    const results = await Promise.all(['a', 'b', 'c'].map((i) => commit.add(i).then((r) => (order.push(r), r))));
    assert.deepEqual(results, ['A', 'B', 'C']);
    assert.deepEqual(order, ['A', 'B', 'C']);
  });

  test('a batch never holds more than maxBatch items', async () => {
    const writer = heldWriter<number>();
    const commit = new GroupCommit<number, string>({ write: writer.write, maxBatch: 2 });
    const promises = [1, 2, 3, 4, 5].map((i) => commit.add(i));
    await settleAll(promises, writer);
    assert.deepEqual(writer.batches, [[1, 2], [3, 4], [5]]);
  });

  test('one bad item fails only its own caller: the batch is written again item by item', async () => {
    const bad = new Error('item 2 is bad');
    const writer = heldWriter<number>((i) => (i === 2 ? bad : `done ${i}`));
    const commit = new GroupCommit<number, string>({ write: writer.write });
    const results = await settleAll([1, 2, 3].map((i) => commit.add(i)), writer);
    assert.deepEqual(results, [
      { status: 'fulfilled', value: 'done 1' },
      { status: 'rejected', reason: bad },
      { status: 'fulfilled', value: 'done 3' },
    ]);
    assert.deepEqual(writer.batches, [[1, 2, 3], [1], [2], [3]]);
  });

  test('after a failure, later items are still written', async () => {
    let fail = true;
    const commit = new GroupCommit<number, number>({
      write: async (items) => {
        if (fail) throw new Error('down');
        return items.map((i) => i * 10);
      },
    });
    await assert.rejects(commit.add(1), /down/);
    fail = false;
    assert.deepEqual(await Promise.all([commit.add(2), commit.add(3)]), [20, 30]);
  });

  test('a write that answers the wrong number of results fails its callers without writing again', async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit<number, number>({ write: async (items) => (batches.push([...items]), [1]) });
    const results = await Promise.allSettled([commit.add(1), commit.add(2)]);
    assert.ok(results.every((r) => r.status === 'rejected'));
    assert.deepEqual(batches, [[1, 2]]);
  });

  test('maxBatch must be a positive integer', () => {
    assert.throws(() => new GroupCommit({ write: async () => [], maxBatch: 0 }), RangeError);
  });

  test('with concurrency 2, items added while one batch is written go at once as a second; a third waits for a free writer', async () => {
    const writer = heldWriter<number>();
    const commit = new GroupCommit<number, string>({ write: writer.write, concurrency: 2 });
    const added = [commit.add(1), commit.add(2)];
    await new Promise((r) => setImmediate(r));
    added.push(commit.add(3));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(writer.batches, [[1, 2], [3]], 'the second batch is written while the first still is');
    added.push(commit.add(4), commit.add(5));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(writer.batches, [[1, 2], [3]], 'both writers are busy: 4 and 5 wait');
    writer.releaseOldest();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(writer.batches, [[1, 2], [3], [4, 5]], 'the freed writer takes what waits, together');
    const results = await settleAll(added, writer);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason)),
      ['done 1', 'done 2', 'done 3', 'done 4', 'done 5'],
    );
  });

  test('concurrency must be a positive integer', () => {
    assert.throws(() => new GroupCommit({ write: async () => [], concurrency: 0 }), RangeError);
    assert.throws(() => new GroupCommit({ write: async () => [], concurrency: 1.5 }), RangeError);
  });
});

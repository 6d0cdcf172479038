import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ClientRateLimiter } from './client-limiter.ts';

describe('client rate limiter', () => {
  test('a minute\'s allowance at once, then refills at the limit\'s rate; Retry-After says when', () => {
    let now = 0;
    const limiter = new ClientRateLimiter(() => now);
    for (let i = 0; i < 60; i++) assert.ok(limiter.take('a', 60).allowed);
    const refused = limiter.take('a', 60);
    assert.equal(refused.allowed, false);
    assert.equal(refused.retryAfterSeconds, 1);
    assert.ok(limiter.take('b', 60).allowed, 'another client has its own bucket');
    now += 1000;
    assert.ok(limiter.take('a', 60).allowed);
    assert.equal(limiter.take('a', 60).allowed, false);
    // A slow limit: one call in 30 s.
    for (let i = 0; i < 2; i++) assert.ok(limiter.take('c', 2).allowed);
    assert.equal(limiter.take('c', 2).retryAfterSeconds, 30);
  });
});

import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../sync-server/token-bucket';

describe('TokenBucket', () => {
  it('allows a burst up to capacity, then refills at the sustained rate', () => {
    let now = 0;
    const bucket = new TokenBucket(5, 10, () => now);
    for (let i = 0; i < 5; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    now += 100; // 10/s → one token
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    now += 10_000; // never more than capacity
    for (let i = 0; i < 5; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });

  it('takes weighted amounts (bytes)', () => {
    let now = 0;
    const bucket = new TokenBucket(1000, 100, () => now);
    expect(bucket.take(800)).toBe(true);
    expect(bucket.take(300)).toBe(false);
    now += 1000;
    expect(bucket.take(300)).toBe(true);
  });
});

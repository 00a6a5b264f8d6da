import { describe, expect, it } from 'vitest';
import { compareStamped, decodeHlc, encodeHlc, Hlc, hlcWall } from '../../renderer/src/registry';
import { fakeClock } from './support';

describe('hybrid logical clock', () => {
  it('follows the wall clock when it moves forward', () => {
    const wall = fakeClock(1_000);
    const clock = new Hlc(wall.now);
    expect(decodeHlc(clock.now())).toEqual({ wall: 1_000, counter: 0 });
    wall.advance(5);
    expect(decodeHlc(clock.now())).toEqual({ wall: 1_005, counter: 0 });
  });

  it('stays strictly increasing when the wall clock stalls or goes backwards', () => {
    const wall = fakeClock(10_000);
    const clock = new Hlc(wall.now);
    const stamps = [clock.now(), clock.now()];
    wall.set(9_000);
    stamps.push(clock.now(), clock.now());
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! > stamps[i - 1]!).toBe(true);
    expect(hlcWall(stamps[3]!)).toBe(10_000);
  });

  it('orders a local event after a remote event it has seen, even when the remote clock is ahead', () => {
    const wall = fakeClock(50_000);
    const clock = new Hlc(wall.now);
    const remote = encodeHlc({ wall: 60_000, counter: 7 });
    expect(clock.receive(remote)).toBe(true);
    const local = clock.now();
    expect(local > remote).toBe(true);
    expect(decodeHlc(local)).toEqual({ wall: 60_000, counter: 8 });
  });

  it('refuses to follow a remote clock beyond the skew bound', () => {
    const wall = fakeClock(50_000);
    const clock = new Hlc(wall.now, 60_000);
    expect(clock.receive(encodeHlc({ wall: 50_000 + 60_001, counter: 0 }))).toBe(false);
    expect(clock.skewWarnings).toBe(1);
    expect(hlcWall(clock.now())).toBe(50_000);
    expect(clock.receive('garbage')).toBe(false);
  });

  it('carries the counter into the next millisecond instead of overflowing', () => {
    const clock = new Hlc(() => 7);
    clock.receive(encodeHlc({ wall: 7, counter: 999_999 }));
    expect(decodeHlc(clock.now())).toEqual({ wall: 8, counter: 0 });
  });

  it('encodes so that string order is time order, with clientId breaking ties', () => {
    expect(encodeHlc({ wall: 9, counter: 0 }) < encodeHlc({ wall: 10, counter: 0 })).toBe(true);
    expect(encodeHlc({ wall: 10, counter: 9 }) < encodeHlc({ wall: 10, counter: 10 })).toBe(true);
    const h = encodeHlc({ wall: 10, counter: 0 });
    expect(compareStamped({ hlc: h, clientId: 1 }, { hlc: h, clientId: 2 })).toBeLessThan(0);
  });
});

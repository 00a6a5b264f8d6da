/**
 * Hybrid logical clock (Kulkarni et al.): timestamps that follow wall time when
 * clocks agree and stay causally ordered when they do not. Encoded as a fixed-width
 * string so plain string comparison orders them: 15 digits of milliseconds, then a
 * 6-digit counter. Ties between clients are broken by clientId (see compareStamped).
 */
export const HLC_MAX_COUNTER = 999_999;
/** How far ahead of our own clock a remote timestamp may be before we stop following it. */
export const DEFAULT_MAX_SKEW_MS = 5 * 60_000;

export interface HlcParts {
  wall: number;
  counter: number;
}

export function encodeHlc({ wall, counter }: HlcParts): string {
  return `${String(wall).padStart(15, '0')}.${String(counter).padStart(6, '0')}`;
}

const HLC_PATTERN = /^(\d{15})\.(\d{6})$/;

export function decodeHlc(text: string): HlcParts | undefined {
  const m = HLC_PATTERN.exec(text);
  return m ? { wall: Number(m[1]), counter: Number(m[2]) } : undefined;
}

export function isHlc(text: unknown): text is string {
  return typeof text === 'string' && HLC_PATTERN.test(text);
}

/** The wall-clock milliseconds of an encoded timestamp. */
export function hlcWall(text: string): number {
  return Number(text.slice(0, 15));
}

export class Hlc {
  private last: HlcParts = { wall: 0, counter: 0 };
  /** Remote clocks seen too far ahead of ours, for the UI to warn about. */
  skewWarnings = 0;

  constructor(
    private readonly physicalNow: () => number = Date.now,
    readonly maxSkewMs: number = DEFAULT_MAX_SKEW_MS,
  ) {}

  /** A timestamp for a local event, greater than every timestamp this clock has produced or accepted. */
  now(): string {
    const physical = this.physicalNow();
    if (physical > this.last.wall) this.last = { wall: physical, counter: 0 };
    else this.last = this.bump(this.last);
    return encodeHlc(this.last);
  }

  /**
   * Takes in a timestamp seen on a remote event. A timestamp more than maxSkewMs
   * ahead of our physical clock is not followed — otherwise one laptop with a clock
   * set to next year would drag every clock (and every later alias move) with it.
   * Returns false when it was refused.
   */
  receive(remote: string): boolean {
    const parts = decodeHlc(remote);
    if (!parts) return false;
    const physical = this.physicalNow();
    if (parts.wall > physical + this.maxSkewMs) {
      this.skewWarnings++;
      return false;
    }
    if (parts.wall > this.last.wall || (parts.wall === this.last.wall && parts.counter > this.last.counter)) {
      this.last = parts;
    }
    return true;
  }

  private bump(p: HlcParts): HlcParts {
    // Counter overflow (a million events in one millisecond) borrows the next millisecond.
    return p.counter >= HLC_MAX_COUNTER ? { wall: p.wall + 1, counter: 0 } : { wall: p.wall, counter: p.counter + 1 };
  }
}

export interface Stamped {
  hlc: string;
  clientId: number;
}

/** Total order of stamped events: by timestamp, then clientId. */
export function compareStamped(a: Stamped, b: Stamped): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
  return a.clientId - b.clientId;
}

export const stampId = (s: Stamped) => `${s.clientId}@${s.hlc}`;

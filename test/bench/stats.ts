/** Small helpers shared by the benchmark scripts. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** `--json`: the run ends its output with one JSON object. */
export function wantsJson(argv = process.argv): boolean {
  return argv.includes('--json');
}

export function numberArg(name: string, fallback: number, argv = process.argv): number {
  const i = argv.indexOf(`--${name}`);
  const v = i === -1 ? undefined : Number(argv[i + 1]);
  return v !== undefined && Number.isFinite(v) ? v : fallback;
}

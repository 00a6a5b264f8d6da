/** Large reads keep syscall and hashing overhead low; two per file in flight keeps memory flat. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

/** O_DIRECT needs buffer addresses, offsets and lengths aligned to the device's blocks; 4 KiB covers them all. */
export const DIRECT_IO_ALIGNMENT = 4096;

const free: Buffer[] = [];
const MAX_POOLED = 8;
const WASM_PAGE = 64 * 1024;
// @types/node declares WebAssembly's types but not the global value itself.
const { Memory } = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => { buffer: ArrayBuffer } } }).WebAssembly;

/**
 * Chunk buffers, reused across files: allocating two fresh 4 MiB buffers per file cost
 * page faults and garbage collections that, for a few hundred small files, measured as
 * much as the hashing itself. They are WebAssembly memories because those are the one
 * allocation JavaScript can get that is page-aligned, which O_DIRECT writes require.
 */
export function takeChunkBuffer(): Buffer {
  return free.pop() ?? Buffer.from(new Memory({ initial: CHUNK_BYTES / WASM_PAGE, maximum: CHUNK_BYTES / WASM_PAGE }).buffer);
}

export function returnChunkBuffer(buffer: Buffer): void {
  if (free.length < MAX_POOLED) free.push(buffer);
}

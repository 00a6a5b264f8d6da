import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { CHUNK_BYTES, returnChunkBuffer, takeChunkBuffer } from './chunk-buffers';

/** sha256 of a file already in the store, streamed with one read ahead; memory stays flat. */
export async function hashFile(file: string, { signal, onBytes }: { signal?: AbortSignal; onBytes?: (n: number) => void } = {}): Promise<{ sha256: string; size: number }> {
  const handle = await fs.open(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  const buffers = [takeChunkBuffer(), takeChunkBuffer()];
  let next = handle.read(buffers[0]!, 0, CHUNK_BYTES, 0);
  next.catch(() => {}); // awaited below; a failure must not count as unhandled meanwhile
  try {
    const hash = crypto.createHash('sha256');
    let position = 0;
    let current = 0;
    for (;;) {
      const { bytesRead } = await next;
      if (bytesRead === 0) break;
      signal?.throwIfAborted();
      const chunk = buffers[current]!.subarray(0, bytesRead);
      current ^= 1;
      next = handle.read(buffers[current]!, 0, CHUNK_BYTES, position + bytesRead);
      next.catch(() => {});
      hash.update(chunk);
      position += bytesRead;
      onBytes?.(bytesRead);
    }
    return { sha256: hash.digest('hex'), size: position };
  } finally {
    await next.catch(() => {});
    buffers.forEach(returnChunkBuffer);
    await handle.close();
  }
}

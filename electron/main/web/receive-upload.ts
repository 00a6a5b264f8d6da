import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { HostError } from '../../shared/host-error';

const UPLOAD_ID = /^[A-Za-z0-9_-]{1,64}$/;
// Control characters, and what Windows forbids, never become file names on the host.
const BAD_SEGMENT = /[\u0000-\u001f\u007f<>:"\\|?*]/;

/**
 * Where an uploaded file goes: `<uploads>/<uploadId>/<relative path>`. The path comes
 * from the URL, segment by segment; anything that could escape the upload folder or
 * name a special file is refused.
 */
export function uploadTarget(uploadsDir: string, urlPath: string): { uploadId: string; relative: string; file: string } {
  const [rawId, ...rawSegments] = urlPath.split('/');
  let uploadId: string;
  let segments: string[];
  try {
    uploadId = decodeURIComponent(rawId ?? '');
    segments = rawSegments.map((s) => decodeURIComponent(s));
  } catch {
    throw new HostError('UPLOAD_PATH_INVALID', 'The upload path is not valid URL encoding.');
  }
  if (!UPLOAD_ID.test(uploadId)) throw new HostError('UPLOAD_PATH_INVALID', `"${uploadId}" is not an upload id.`);
  if (segments.length === 0) throw new HostError('UPLOAD_PATH_INVALID', 'An upload needs a file name.');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..' || s.includes('/') || BAD_SEGMENT.test(s) || s.length > 255) {
      throw new HostError('UPLOAD_PATH_INVALID', `"${segments.join('/')}" is not a relative file path that can be stored.`);
    }
  }
  const relative = segments.join('/');
  const root = path.resolve(uploadsDir, uploadId);
  const file = path.resolve(root, ...segments);
  if (!file.startsWith(root + path.sep)) throw new HostError('UPLOAD_PATH_INVALID', `"${relative}" leaves the upload folder.`);
  return { uploadId, relative, file };
}

/** Streams one request body to its file; a dropped connection leaves no partial file. */
export async function receiveUpload(req: http.IncomingMessage, uploadsDir: string, urlPath: string): Promise<{ path: string; bytes: number }> {
  const target = uploadTarget(uploadsDir, urlPath);
  await fsp.mkdir(path.dirname(target.file), { recursive: true });
  const partial = `${target.file}.partial`;
  let bytes = 0;
  req.on('data', (chunk: Buffer) => (bytes += chunk.length));
  try {
    await pipeline(req, fs.createWriteStream(partial, { flags: 'wx' }));
    if (req.readableAborted) throw new HostError('UPLOAD_ABORTED', `The upload of ${target.relative} was interrupted.`);
    // link, not rename: it refuses to replace a file this drop already uploaded.
    await fsp.link(partial, target.file);
    await fsp.rm(partial);
  } catch (error) {
    await fsp.rm(partial, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') throw new HostError('DISK_FULL', `The host's disk is full; ${target.relative} could not be stored.`);
    if (code === 'EEXIST') throw new HostError('UPLOAD_PATH_INVALID', `${target.relative} was uploaded twice in one drop.`);
    if (error instanceof HostError) throw error;
    throw new HostError('UPLOAD_ABORTED', `The upload of ${target.relative} was interrupted.`);
  }
  return { path: target.relative, bytes };
}

/** Upload folders left behind by a crash or a closed tab, older than a day, are removed at start. */
export async function sweepUploads(uploadsDir: string, maxAgeMs = 86_400_000): Promise<void> {
  const entries = await fsp.readdir(uploadsDir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const full = path.join(uploadsDir, entry.name);
    const stat = await fsp.stat(full).catch(() => null);
    if (stat && Date.now() - stat.mtimeMs > maxAgeMs) await fsp.rm(full, { recursive: true, force: true });
  }
}

import fs from 'node:fs/promises';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export interface RendererFile {
  path: string;
  contentType: string;
  /** Vite fingerprints everything under assets/, so those may be cached forever. */
  immutable: boolean;
}

/**
 * Maps a URL path to a file of the built renderer, for the Electron app protocol and
 * web mode. Never leaves `root`: `..`, encoded separators and NULs are refused, and
 * unknown paths without an extension fall back to index.html (client-side routes).
 */
export async function resolveRendererFile(root: string, urlPath: string): Promise<RendererFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return undefined;
  const relative = segments.length === 0 ? 'index.html' : segments.join('/');
  const absRoot = path.resolve(root);
  let file = path.resolve(absRoot, relative);
  if (file !== absRoot && !file.startsWith(absRoot + path.sep)) return undefined;
  if (!(await isFile(file))) {
    if (path.extname(relative) !== '') return undefined;
    file = path.join(absRoot, 'index.html');
    if (!(await isFile(file))) return undefined;
  }
  const ext = path.extname(file).toLowerCase();
  return {
    path: file,
    contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream',
    immutable: path.relative(absRoot, file).startsWith(`assets${path.sep}`),
  };
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}

import type { HostApi, Reply } from '../../../electron/shared/contract';
import { HostError } from '../../../electron/shared/host-error';

/**
 * Web mode's upload of dropped files: one PUT per file into the host's upload area.
 * XMLHttpRequest, because fetch cannot report upload progress.
 */
export function createUploader(baseUrl: string, token: string): NonNullable<HostApi['uploadFile']> {
  const headers = { Authorization: `Bearer ${token}` };
  return (uploadId, relativePath, file, onProgress, signal) =>
    new Promise<void>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      const path = relativePath.split('/').map(encodeURIComponent).join('/');
      xhr.open('PUT', `${baseUrl}/api/upload/${encodeURIComponent(uploadId)}/${path}`);
      xhr.setRequestHeader('Authorization', headers.Authorization);
      xhr.upload.onprogress = (e) => onProgress(e.loaded);
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) return resolve();
        const reply = (() => {
          try {
            return JSON.parse(xhr.responseText) as Reply;
          } catch {
            return null;
          }
        })();
        reject(reply && !reply.ok ? HostError.from(reply.error) : new HostError('UPLOAD_FAILED', `Uploading ${relativePath} failed (${xhr.status}).`));
      };
      xhr.onerror = () => reject(new HostError('HOST_UNREACHABLE', `The host stopped answering while ${relativePath} was uploading.`));
      xhr.onabort = () => reject(new HostError('COMMIT_CANCELLED', 'Upload cancelled.'));
      signal?.addEventListener('abort', () => xhr.abort());
      xhr.send(file);
    });

}

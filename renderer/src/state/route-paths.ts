/** Every screen of the app, addressable by URL hash so back/forward and reload work. */
export type Route =
  | { page: 'home' }
  | { page: 'project'; project: string }
  | { page: 'artifact'; project: string; artifact: string }
  | { page: 'version'; project: string; artifact: string; versionId: string }
  | { page: 'model'; model: string }
  | { page: 'compare'; project: string; artifact: string; a: string; b: string }
  | { page: 'settings' };

const enc = encodeURIComponent;

export function formatRoute(route: Route): string {
  switch (route.page) {
    case 'home':
      return '#/';
    case 'project':
      return `#/p/${enc(route.project)}`;
    case 'artifact':
      return `#/p/${enc(route.project)}/a/${enc(route.artifact)}`;
    case 'version':
      return `#/p/${enc(route.project)}/a/${enc(route.artifact)}/v/${enc(route.versionId)}`;
    case 'compare':
      return `#/p/${enc(route.project)}/a/${enc(route.artifact)}/compare/${enc(route.a)}/${enc(route.b)}`;
    case 'model':
      return `#/m/${enc(route.model)}`;
    case 'settings':
      return '#/settings';
  }
}

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  if (parts[0] === 'settings') return { page: 'settings' };
  if (parts[0] === 'm' && parts[1]) return { page: 'model', model: parts[1] };
  if (parts[0] === 'p' && parts[1]) {
    const project = parts[1];
    if (parts[2] === 'a' && parts[3]) {
      const artifact = parts[3];
      if (parts[4] === 'v' && parts[5]) return { page: 'version', project, artifact, versionId: parts[5] };
      if (parts[4] === 'compare' && parts[5] && parts[6]) return { page: 'compare', project, artifact, a: parts[5], b: parts[6] };
      return { page: 'artifact', project, artifact };
    }
    return { page: 'project', project };
  }
  return { page: 'home' };
}


import { create } from 'zustand';
import { formatRoute, parseRoute, type Route } from './route-paths';

export type { Route } from './route-paths';

interface RouteState {
  route: Route;
  go(route: Route): void;
}

export const useRoute = create<RouteState>((set) => ({
  route: typeof window === 'undefined' ? { page: 'home' } : parseRoute(window.location.hash),
  go(route) {
    const hash = formatRoute(route);
    if (window.location.hash !== hash) window.location.hash = hash;
    set({ route });
  },
}));

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => useRoute.setState({ route: parseRoute(window.location.hash) }));
}

export const go = (route: Route) => useRoute.getState().go(route);

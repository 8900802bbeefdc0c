// Hash routing: '#/game/12' works from any sub-folder of any static host, because
// the server only ever sees the page's own path.

export type Route =
  | { name: 'home' }
  | { name: 'browse'; genre?: string; tag?: string }
  | { name: 'search'; query: string }
  | { name: 'game'; id: number }
  | { name: 'cart' }
  | { name: 'checkout' }
  | { name: 'data' }
  | { name: 'insights' }
  | { name: 'profile' }
  | { name: 'about' }
  | { name: 'lab' }
  | { name: 'bench' }
  | { name: 'simulate' }
  | { name: 'offers' }
  | { name: 'notFound'; path: string };

export function parseHash(hash: string): Route {
  const [path, queryString = ''] = hash.replace(/^#/, '').split('?');
  const query = new URLSearchParams(queryString);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0] ?? '') {
    case '':
      return { name: 'home' };
    case 'browse':
      return { name: 'browse', genre: query.get('genre') ?? undefined, tag: query.get('tag') ?? undefined };
    case 'search':
      return { name: 'search', query: query.get('q') ?? '' };
    case 'game': {
      const id = Number(parts[1]);
      return Number.isInteger(id) && id >= 0 ? { name: 'game', id } : { name: 'notFound', path };
    }
    case 'cart':
    case 'checkout':
    case 'data':
    case 'insights':
    case 'profile':
    case 'about':
    case 'lab':
    case 'bench':
    case 'simulate':
    case 'offers':
      return {
        name: parts[0] as
          | 'cart'
          | 'checkout'
          | 'data'
          | 'insights'
          | 'profile'
          | 'about'
          | 'lab'
          | 'bench'
          | 'simulate'
          | 'offers',
      };
    default:
      return { name: 'notFound', path };
  }
}

export function hrefFor(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'browse': {
      const query = new URLSearchParams();
      if (route.genre) query.set('genre', route.genre);
      if (route.tag) query.set('tag', route.tag);
      const qs = query.toString();
      return `#/browse${qs ? `?${qs}` : ''}`;
    }
    case 'search':
      return `#/search?${new URLSearchParams({ q: route.query })}`;
    case 'game':
      return `#/game/${route.id}`;
    case 'notFound':
      return `#/${route.path}`;
    default:
      return `#/${route.name}`;
  }
}

class Router {
  route = $state<Route>(parseHash(typeof location === 'undefined' ? '' : location.hash));

  constructor() {
    if (typeof window === 'undefined') return;
    window.addEventListener('hashchange', () => {
      this.route = parseHash(location.hash);
      window.scrollTo(0, 0);
    });
  }

  go(route: Route): void {
    location.hash = hrefFor(route);
  }
}

export const router = new Router();

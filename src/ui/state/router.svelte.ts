/** Which screen is shown: the start page or one project (kept in the URL hash, so reload keeps it). */
export type Route = { page: 'home' } | { page: 'models' } | { page: 'project'; projectId: string; tab: ProjectTab };
export type ProjectTab = 'data' | 'profile' | 'synthesize' | 'report';
const TABS: ProjectTab[] = ['data', 'profile', 'synthesize', 'report'];

function parse(hash: string): Route {
  if (/^#\/models\b/.test(hash)) return { page: 'models' };
  const m = /^#\/project\/([\w-]+)(?:\/(\w+))?/.exec(hash);
  if (!m) return { page: 'home' };
  const tab = TABS.includes(m[2] as ProjectTab) ? (m[2] as ProjectTab) : 'data';
  return { page: 'project', projectId: m[1], tab };
}

class Router {
  route = $state<Route>(parse(typeof location === 'undefined' ? '' : location.hash));

  go(route: Route) {
    this.route = route;
    const hash = route.page === 'home' ? '#/' : route.page === 'models' ? '#/models' : `#/project/${route.projectId}/${route.tab}`;
    if (location.hash !== hash) history.pushState(null, '', hash);
  }
}

export const router = new Router();

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => (router.route = parse(location.hash)));
}

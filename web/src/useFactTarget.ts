import { useEffect } from 'react';
import { useLocation } from 'wouter';

/**
 * Scrolls to the element the URL's `#…` names once the page's data is there (a client-side
 * navigation does not, and the element does not exist before the data), and marks it so the fact
 * a source links to stands out.
 */
export function useFactTarget(ready: boolean): void {
  const [location] = useLocation();
  useEffect(() => {
    if (!ready) return;
    const id = decodeURIComponent(window.location.hash.slice(1));
    const element = id ? document.getElementById(id) : null;
    if (!element) return;
    element.classList.add('fact-target');
    element.scrollIntoView({ block: 'center' });
    return () => element.classList.remove('fact-target');
  }, [ready, location]);
}

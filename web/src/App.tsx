import { lazy, Suspense } from 'react';
import { Link, Route, Switch } from 'wouter';
import { BrowsePage } from './pages/Browse.tsx';
import { FilmPage } from './pages/Film.tsx';
import { PersonPage } from './pages/Person.tsx';
import { SearchPage } from './pages/Search.tsx';
import { SourcePage } from './pages/Source.tsx';
import { Loading } from './components/Status.tsx';

// Editors are few: their desk is a chunk of its own, kept out of every reader's first load.
const EditorPage = lazy(() => import('./pages/Editor.tsx').then((m) => ({ default: m.EditorPage })));

export function App() {
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <nav aria-label="Main">
          <Link href="/" className="brand">
            Cinegraph
          </Link>
          <Link href="/">Search</Link>
          <Link href="/films">Films</Link>
          <Link href="/editor">Editor desk</Link>
        </nav>
      </header>
      <main id="main">
        <Switch>
          <Route path="/" component={SearchPage} />
          <Route path="/films" component={BrowsePage} />
          <Route path="/film/:slug">{(params) => <FilmPage slug={params.slug} />}</Route>
          <Route path="/person/:slug">{(params) => <PersonPage slug={params.slug} />}</Route>
          <Route path="/source/:slug">{(params) => <SourcePage key={params.slug} slug={params.slug} />}</Route>
          <Route path="/editor">
            <Suspense fallback={<Loading label="Loading the editor desk" />}>
              <EditorPage />
            </Suspense>
          </Route>
          <Route>
            <section className="page">
              <h1>Not found</h1>
              <p>
                No page here. <Link href="/">Search the catalogue</Link> or <Link href="/films">browse the films</Link>.
              </p>
            </section>
          </Route>
        </Switch>
      </main>
    </>
  );
}

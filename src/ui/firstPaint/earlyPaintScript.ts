// A classic script, built on its own (scripts/build/earlyPaintPlugin.ts) and loaded async from
// inside index.html's <div id="app">: it paints the kept "For you" row (earlyMarkup.ts) where the
// app will draw it, while the module bundle is still loading. Async, it may also arrive after the
// bundle has run: then it does nothing (the app is drawing, or has drawn, the rows itself). The copy is inert (not clickable,
// not focusable, not in the accessibility tree) and main.ts removes it in the same task that mounts
// the app, which draws the same rows from the kept rows: no frame shows both, or neither.
// Any doubt (no storage, another state, a damaged copy) paints nothing and the app paints as before.
import { keptMarkupStorageKey, stateVersionKey } from '../../data/storageKeys';
import { firstRowsElementId } from '../../worker/store/firstRows';
import { markStartup } from '../startupMarks';
import {
  buildIdOf,
  keptMarkupMayPaint,
  markupIsSafe,
  parseKeptMarkup,
  trainingModeOfSearch,
} from './earlyMarkup';

function paintKeptMarkup(): void {
  const script = document.currentScript;
  const app = script?.parentElement;
  // main.ts marks page-script before it empties #app (this script with it) and mounts the app
  if (!script || !app || performance.getEntriesByName('aisle:page-script').length > 0) return;
  const storage = window.localStorage;
  const kept = parseKeptMarkup(storage.getItem(keptMarkupStorageKey));
  if (!kept) return;
  const context = {
    stateVersion: storage.getItem(stateVersionKey),
    buildId: buildIdOf(document.getElementById(firstRowsElementId)?.textContent),
    mode: trainingModeOfSearch(location.search),
    hash: location.hash,
  };
  if (!keptMarkupMayPaint(kept, context)) return;
  // a template's content is inert while it is checked: no image loads, no handler could run
  const template = document.createElement('template');
  template.innerHTML = kept.markup;
  const parts = [...template.content.children];
  if (parts.length === 0 || !markupIsSafe(parts)) return;
  for (const part of parts) part.setAttribute('inert', '');
  app.insertBefore(template.content, script);
  markStartup('early-paint');
  // the frame that draws it starts here: before `page-script` when it beat the bundle to the screen
  requestAnimationFrame(() => markStartup('early-frame'));
}

try {
  paintKeptMarkup();
} catch {
  // storage refused or anything unexpected: the app paints as it always did
}

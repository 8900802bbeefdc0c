// The localStorage keys of the home page's first paint, in a module with no imports: the classic
// script that paints the kept markup before the app's bundle loads (ui/firstPaint/earlyPaintScript.ts)
// bundles this file alone, not the data layer beside it. "Erase everything" clears all of localStorage.

/** The shopper's state version (stateVersion.ts). */
export const stateVersionKey = 'aisle:state-version';

/** The home rows the last visit kept (ui/firstPaint/homePaint.ts). */
export const keptRowsStorageKey = 'aisle:home-rows';

/** The first row's markup the last visit kept, painted before the bundle loads (ui/firstPaint/earlyMarkup.ts). */
export const keptMarkupStorageKey = 'aisle:home-markup';

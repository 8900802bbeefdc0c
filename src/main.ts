import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/app.css';
import { afterNextFrame } from './ui/firstPaint/afterNextFrame';
import { rememberFirstRender } from './ui/firstPaint/earlyMarkupCapture';
import { markStartup } from './ui/startupMarks';

/** The longest the app waits for the frame that draws the early copy (none may come: a hidden tab). */
const earlyFrameWaitMs = 50;

// the bundle is downloaded, compiled and every module it imports has run (App's included)
markStartup('page-script');
const target = document.getElementById('app')!;

function mountApp(): void {
  // the kept "For you" row the early script painted (ui/firstPaint/earlyPaintScript.ts) goes in the
  // same task as the app's first render, which draws the same rows: no frame shows neither, or both
  target.replaceChildren();
  mount(App, { target });
  // the app's first render is in the document (the home page's painted rows with it)
  markStartup('app-mounted');
  // what the next visit's early paint draws around its "For you" row, as this first render drew it
  rememberFirstRender(target);
}

// with the early copy in the document, let the frame that draws it come before the app's mount
if (performance.getEntriesByName('aisle:early-paint').length > 0) afterNextFrame(mountApp, earlyFrameWaitMs);
else mountApp();

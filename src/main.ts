import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/app.css';
import { rememberFirstRender } from './ui/firstPaint/earlyMarkupCapture';
import { markStartup } from './ui/startupMarks';

// the bundle is downloaded, compiled and every module it imports has run (App's included)
markStartup('page-script');
const target = document.getElementById('app')!;
// the kept "For you" row the early script painted (ui/firstPaint/earlyPaintScript.ts) goes in the
// same task as the app's first render, which draws the same rows: no frame shows neither, or both
target.replaceChildren();
mount(App, { target });
// the app's first render is in the document (the home page's painted rows with it)
markStartup('app-mounted');
// what the next visit's early paint draws around its "For you" row, as this first render drew it
rememberFirstRender(target);

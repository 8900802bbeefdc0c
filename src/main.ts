import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/app.css';
import { markStartup } from './ui/startupMarks';

// the bundle is downloaded, compiled and every module it imports has run (App's included)
markStartup('page-script');
mount(App, { target: document.getElementById('app')! });
// the app's first render is in the document (the home page's painted rows with it)
markStartup('app-mounted');

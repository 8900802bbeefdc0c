import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/app.css';
import { markStartup } from './ui/startupMarks';

// the bundle is parsed and running: what comes before this is download, parse and compile
markStartup('page-script');
mount(App, { target: document.getElementById('app')! });
// the app's first render is in the document (the home page's painted rows with it)
markStartup('app-mounted');

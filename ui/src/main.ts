import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { theme } from './lib/theme.svelte';

const target = document.getElementById('app');
if (target === null) throw new Error('index.html has no #app element to mount Kindred into');

theme.start();

export default mount(App, { target });

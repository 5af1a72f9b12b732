import { mount } from 'svelte';
import App from './App.svelte';
import './ui/global.css';
import { offline } from './ui/state/offline.svelte';

const app = mount(App, { target: document.getElementById('app')! });
offline.register();

export default app;

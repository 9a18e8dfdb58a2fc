import init from './leptos-floor.js';
init({ module_or_path: new URL('leptos-floor_bg.wasm', import.meta.url) });

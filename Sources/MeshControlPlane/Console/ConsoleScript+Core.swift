/// The console's JavaScript, one file per view. Plain browser JS (no build step);
/// every view is a function of `Console.main` and the JSON management API.
enum ConsoleScript {
    /// Helpers shared by the views and the start-up that picks the view by path.
    static let core = #"""
    'use strict';
    const Console = {
      views: {},
      main: null,

      // GET or send JSON/YAML; always resolves with {status, body, etag} so views
      // can show 400 / 409 answers instead of throwing.
      async request(method, path, text, etag) {
        const headers = {};
        if (etag) headers['If-Match'] = etag;
        if (text !== undefined) headers['Content-Type'] = 'application/yaml';
        const response = await fetch(path, {method, headers, body: text});
        const raw = await response.text();
        let body;
        try { body = JSON.parse(raw); } catch (e) { body = {text: raw}; }
        return {status: response.status, body, etag: response.headers.get('etag')};
      },
      async get(path) { return (await Console.request('GET', path)).body; },

      el(tag, attributes, ...children) {
        const node = document.createElement(tag);
        for (const [key, value] of Object.entries(attributes || {})) {
          if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
          else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value);
        }
        for (const child of children.flat()) {
          if (child === null || child === undefined) continue;
          node.append(child instanceof Node ? child : document.createTextNode(String(child)));
        }
        return node;
      },
      table(headings, rows, id) {
        return Console.el('table', {id},
          Console.el('tr', {}, headings.map(h => Console.el('th', {}, h))),
          rows.map(row => Console.el('tr', {}, row.map(cell => Console.el('td', {}, cell)))));
      },
      badge(text, kind) { return Console.el('span', {class: 'badge ' + kind}, text); },
      link(text, href) { return Console.el('a', {href}, text); },
      show(...children) { Console.main.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined)); },
      params() { return new URLSearchParams(location.search); },
      objectPath(kind, namespace, name) {
        return '/api/v1/config/' + [kind, namespace, name].map(encodeURIComponent).join('/');
      },
      // The VirtualService named by ?namespace=&name= for the forms; null after showing why not.
      async loadVirtualService() {
        const params = Console.params();
        const namespace = params.get('namespace'), name = params.get('name');
        const path = Console.objectPath('VirtualService', namespace, name);
        const answer = await Console.request('GET', path);
        if (answer.status !== 200) { Console.show(Console.el('p', {class: 'error'}, answer.body.error || `status ${answer.status}`)); return null; }
        return {namespace, name, path, object: answer.body.object, etag: answer.body.resourceVersion};
      },
      // Which config files the store rejected (the last good version stays in force).
      async rejectedFiles() { return await Console.get('/debug/configz') || {}; },

      async start() {
        Console.main = document.getElementById('main');
        const name = location.pathname.replace(/^\/ui\/?/, '') || 'overview';
        for (const a of document.querySelectorAll('header nav a')) a.classList.toggle('active', a.dataset.view === name);
        const view = Console.views[name];
        if (!view) { Console.show(Console.el('p', {class: 'error'}, 'No such page: ' + location.pathname)); return; }
        try { await view(); } catch (error) {
          Console.show(Console.el('p', {class: 'error'}, 'Could not load: ' + error.message));
          throw error;
        }
      },
    };
    window.addEventListener('DOMContentLoaded', () => Console.start());
    """#
}

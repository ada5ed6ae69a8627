extension ConsoleScript {
    /// Every config object with its validation status: an object is valid unless the
    /// store rejected its file's latest version (then the last good version is in force).
    static let config = #"""
    'use strict';
    Console.views.config = async function () {
      const el = Console.el;
      const [list, rejected] = await Promise.all([Console.get('/api/v1/config'), Console.rejectedFiles()]);
      const items = (list.items || []).sort((a, b) =>
        (a.kind + a.namespace + a.name).localeCompare(b.kind + b.namespace + b.name));
      const query = o => `?kind=${encodeURIComponent(o.kind)}&namespace=${encodeURIComponent(o.namespace)}&name=${encodeURIComponent(o.name)}`;
      const rows = items.map(o => {
        const errors = rejected[o.file];
        return [o.kind, `${o.namespace}/${o.name}`, o.file || '',
          errors ? el('div', {}, Console.badge('file rejected', 'bad'), el('div', {class: 'error'}, errors.join('\n')))
                 : Console.badge('valid', 'ok'),
          el('span', {}, Console.link('edit', '/ui/edit' + query(o)),
             o.kind === 'VirtualService' ? [' · ', Console.link('routing', '/ui/routing' + query(o)),
               ' · ', Console.link('timeouts, retries, faults', '/ui/resilience' + query(o))] : null)];
      });
      const orphans = Object.keys(rejected).filter(file => !items.some(o => o.file === file));
      Console.show(
        el('h2', {}, `Config objects (${rows.length})`),
        el('p', {}, Console.link('new object', '/ui/edit')),
        Console.table(['kind', 'object', 'file', 'status', ''], rows, 'objects'),
        orphans.length ? [el('h2', {}, 'Rejected files with no object in force'),
          Console.table(['file', 'errors'], orphans.map(f => [f, el('div', {class: 'error'}, rejected[f].join('\n'))]))] : null);
    };
    """#

    /// The YAML editor: PUT with If-Match; shows validation errors (400, with field
    /// paths) and conflicts (409) as the API returns them; delete in two clicks.
    static let edit = #"""
    'use strict';
    Console.views.edit = async function () {
      const el = Console.el;
      const params = Console.params();
      let kind = params.get('kind'), namespace = params.get('namespace'), name = params.get('name');
      let etag = null;
      const text = el('textarea', {id: 'yaml', spellcheck: 'false'});
      const result = el('div', {id: 'result'});
      const report = (kindClass, message, lines) => result.replaceChildren(
        Console.badge(kindClass === 'ok' ? 'done' : 'failed', kindClass), message,
        lines && lines.length ? el('ul', {class: 'error'}, lines.map(l => el('li', {}, l))) : null);
      async function load() {
        if (!kind) { text.value = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: \n  namespace: default\nspec:\n'; return; }
        const answer = await Console.request('GET', Console.objectPath(kind, namespace, name));
        if (answer.status !== 200) { report('bad', answer.body.error || `status ${answer.status}`); return; }
        text.value = answer.body.yaml;
        etag = answer.body.resourceVersion;
      }
      // A new object's path comes from its own kind and metadata.
      function target() {
        if (kind) return [kind, namespace, name];
        const field = key => ((text.value.match(new RegExp('^\\s*' + key + ':\\s*(\\S+)', 'm')) || [])[1] || '');
        return [field('kind'), field('namespace') || 'default', field('name')];
      }
      async function save() {
        const answer = await Console.request('PUT', Console.objectPath(...target()), text.value, etag);
        if (answer.status === 200 || answer.status === 201) {
          [kind, namespace, name] = target();
          etag = answer.body.resourceVersion;
          report('ok', ` saved (resourceVersion ${etag}); proxies are being updated.`);
        } else if (answer.status === 409) {
          report('bad', ' conflict: someone changed this object since you loaded it. ', [answer.body.error]);
          result.append(el('button', {id: 'reload', onclick: () => load().then(() => report('ok', ' reloaded the current version.'))}, 'Load the current version'));
        } else {
          report('bad', ` ${answer.body.error || 'status ' + answer.status}`, answer.body.errors || []);
        }
      }
      let armed = false;
      async function remove(event) {
        if (!armed) { armed = true; event.target.textContent = 'Really delete?'; return; }
        const answer = await Console.request('DELETE', Console.objectPath(kind, namespace, name), undefined, etag);
        if (answer.status === 200) { report('ok', ` deleted ${kind} ${namespace}/${name}.`); etag = null; }
        else report('bad', ` ${answer.body.error || 'status ' + answer.status}`);
      }
      Console.show(
        el('h2', {}, kind ? `${kind} ${namespace}/${name}` : 'New object'),
        text,
        el('p', {}, el('button', {id: 'save', onclick: save}, 'Save'),
          kind ? el('button', {id: 'delete', onclick: remove}, 'Delete') : null,
          Console.link('back to config', '/ui/config')),
        result);
      await load();
    };
    """#
}

extension ConsoleScript {
    /// Timeout, retries and fault injection per HTTP route of a VirtualService: each
    /// route's fields as a small form; Apply regenerates the object's YAML with that
    /// route's fields set (empty fields removed) and PUTs it with If-Match.
    static let resilience = #"""
    'use strict';
    Console.views.resilience = async function () {
      const el = Console.el;
      const loaded = await Console.loadVirtualService();
      if (!loaded) return;
      const {namespace, name, path, object: vs} = loaded;
      let etag = loaded.etag;
      const result = el('div', {id: 'result'});
      // [label, path in the route, number?]
      const fields = [
        ['timeout', ['timeout']], ['retry attempts', ['retries', 'attempts'], true], ['per-try timeout', ['retries', 'perTryTimeout']],
        ['retry on', ['retries', 'retryOn']], ['delay %', ['fault', 'delay', 'percentage', 'value'], true], ['fixed delay', ['fault', 'delay', 'fixedDelay']],
        ['abort %', ['fault', 'abort', 'percentage', 'value'], true], ['abort status', ['fault', 'abort', 'httpStatus'], true]];
      const read = (object, keys) => keys.reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), object);
      function write(object, keys, value) {
        const parents = [object];
        for (const key of keys.slice(0, -1)) parents.push(parents[parents.length - 1][key] = parents[parents.length - 1][key] || {});
        const last = parents[parents.length - 1];
        if (value === undefined) delete last[keys[keys.length - 1]]; else last[keys[keys.length - 1]] = value;
        // Drop the objects emptied on the way up (an empty fault or retries would be invalid).
        for (let i = keys.length - 1; i > 0; i--) if (Object.keys(parents[i]).length === 0) delete parents[i - 1][keys[i - 1]];
      }
      function form(route, index) {
        const inputs = fields.map(([label, keys, number]) => {
          const value = read(route, keys);
          return el('input', {type: number ? 'number' : 'text', 'data-field': keys.join('.'), value: value === undefined ? '' : value});
        });
        async function apply() {
          const updated = JSON.parse(JSON.stringify(vs));
          const target = updated.spec.http[index];
          fields.forEach(([, keys, number], i) => {
            const text = inputs[i].value.trim();
            write(target, keys, text === '' ? undefined : (number ? Number(text) : text));
          });
          const put = await Console.request('PUT', path, YAML.stringify(updated), etag);
          if (put.status === 200) {
            etag = put.body.resourceVersion;
            vs.spec.http[index] = target;
            result.replaceChildren(Console.badge('applied', 'ok'), ` http[${index}] updated.`);
          } else {
            result.replaceChildren(Console.badge('failed', 'bad'), ' ' + (put.body.error || `status ${put.status}`),
              el('ul', {class: 'error'}, (put.body.errors || []).map(e => el('li', {}, e))));
          }
        }
        return el('fieldset', {'data-route': route.name || String(index)},
          el('legend', {}, `http[${index}]${route.name ? ' ' + route.name : ''}`),
          Console.table(fields.map(f => f[0]), [inputs]),
          el('button', {class: 'apply', onclick: apply}, 'Apply'));
      }
      Console.show(
        el('h2', {}, `Timeouts, retries and faults: VirtualService ${namespace}/${name}`),
        (vs.spec.http || []).map(form), result,
        el('p', {}, Console.link('weighted routing', `/ui/routing${location.search}`), ' · ',
          Console.link('edit YAML', `/ui/edit${location.search}`)));
    };
    """#
}

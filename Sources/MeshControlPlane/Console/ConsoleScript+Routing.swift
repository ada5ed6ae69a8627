extension ConsoleScript {
    /// Weighted routing between subsets: for each HTTP route of a VirtualService,
    /// one weight per subset its DestinationRules define for the route's hosts; the
    /// weights must sum to 100. Apply regenerates the VirtualService's YAML with that
    /// route's destinations replaced and PUTs it with If-Match.
    static let routing = #"""
    'use strict';
    Console.views.routing = async function () {
      const el = Console.el;
      const shortHost = host => host.split('.')[0];
      // A DestinationRule's host "catalog" and a route's "catalog.shop.svc.cluster.local" match.
      const sameHost = (a, b) => a === b || shortHost(a) === shortHost(b);

      async function subsetsByHost(hosts) {
        const list = await Console.get('/api/v1/config?kind=DestinationRule');
        const rules = await Promise.all((list.items || []).map(o => Console.get(Console.objectPath(o.kind, o.namespace, o.name))));
        const found = {};
        for (const host of hosts) {
          found[host] = [];
          for (const rule of rules) {
            const spec = (rule.object || {}).spec || {};
            if (spec.host && sameHost(spec.host, host)) {
              for (const subset of spec.subsets || []) if (!found[host].includes(subset.name)) found[host].push(subset.name);
            }
          }
        }
        return found;
      }

      const loaded = await Console.loadVirtualService();
      if (!loaded) return;
      const {namespace, name, path, object: vs} = loaded;
      let etag = loaded.etag;
      const routes = (vs.spec.http || []);
      const hosts = [...new Set(routes.flatMap(r => (r.route || []).map(d => d.destination.host)))];
      const subsets = await subsetsByHost(hosts);
      const result = el('div', {id: 'result'});

      function form(route, index) {
        const current = route.route || [];
        const rows = [];
        for (const host of [...new Set(current.map(d => d.destination.host))]) {
          const names = [...new Set([...(subsets[host] || []), ...current.filter(d => d.destination.host === host).map(d => d.destination.subset)])];
          for (const subset of names) {
            const existing = current.find(d => d.destination.host === host && d.destination.subset === subset);
            const weight = existing ? (existing.weight === undefined ? (current.length === 1 ? 100 : 0) : existing.weight) : 0;
            rows.push({host, subset, weight, template: existing || current.find(d => d.destination.host === host)});
          }
        }
        const inputs = rows.map(row => el('input', {type: 'number', min: 0, max: 100, value: row.weight,
          'data-subset': row.subset === undefined ? '' : row.subset, 'data-host': row.host, oninput: () => total()}));
        const sum = el('span', {class: 'sum'});
        const total = () => {
          const value = inputs.reduce((s, i) => s + Number(i.value || 0), 0);
          sum.replaceChildren(Console.badge(`total ${value}`, value === 100 ? 'ok' : 'bad'));
          return value;
        };
        total();
        async function apply() {
          if (total() !== 100) { result.replaceChildren(Console.badge('failed', 'bad'), ' the weights must sum to 100.'); return; }
          const destinations = rows.map((row, i) => ({row, weight: Number(inputs[i].value)})).filter(d => d.weight > 0).map(({row, weight}) => {
            const destination = Object.assign({}, row.template.destination, {host: row.host});
            if (row.subset === undefined) delete destination.subset; else destination.subset = row.subset;
            const entry = Object.assign({}, row.template, {destination, weight});
            return entry;
          });
          const updated = JSON.parse(JSON.stringify(vs));
          updated.spec.http[index].route = destinations;
          const put = await Console.request('PUT', path, YAML.stringify(updated), etag);
          if (put.status === 200) {
            etag = put.body.resourceVersion;
            vs.spec.http[index].route = destinations;
            result.replaceChildren(Console.badge('applied', 'ok'), ` route ${route.name || index}: ` +
              destinations.map(d => `${d.destination.subset || shortHost(d.destination.host)}=${d.weight}`).join(', '));
          } else {
            result.replaceChildren(Console.badge('failed', 'bad'), ' ' + (put.body.error || `status ${put.status}`),
              el('ul', {class: 'error'}, (put.body.errors || []).map(e => el('li', {}, e))));
          }
        }
        const match = route.match ? 'when ' + JSON.stringify(route.match) : 'all other requests';
        return el('fieldset', {'data-route': route.name || String(index)},
          el('legend', {}, `http[${index}]${route.name ? ' ' + route.name : ''}: ${match}`),
          Console.table(['host', 'subset', 'weight %'], rows.map((row, i) => [shortHost(row.host), row.subset || '(any)', inputs[i]])),
          sum, ' ', el('button', {class: 'apply', onclick: apply}, 'Apply'));
      }

      Console.show(
        el('h2', {}, `Weighted routing: VirtualService ${namespace}/${name}`),
        routes.map((route, index) => route.route ? form(route, index) : null),
        result,
        el('p', {}, Console.link('edit YAML', `/ui/edit?kind=VirtualService&namespace=${encodeURIComponent(namespace)}&name=${encodeURIComponent(name)}`)));
    };
    """#
}

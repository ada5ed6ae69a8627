extension ConsoleScript {
    /// One service: its endpoints, the routing rules in force for it
    /// (VirtualServices and DestinationRules naming it), its recent requests
    /// (from its sidecars' spans) and a form for its namespace's mTLS mode
    /// (PeerAuthentication `default`, through the same validated API as files).
    static let service = #"""
    'use strict';
    Console.views.service = async function () {
      const el = Console.el;
      const host = Console.params().get('host') || '';
      const services = (await Console.get('/api/v1/services')).items || [];
      const service = services.find(s => s.hostname === host);
      if (!service) { Console.show(el('p', {class: 'error'}, `No service ${host}`)); return; }
      const short = host.split('.')[0], namespace = service.namespace;
      const names = [host, short, `${short}.${namespace}`, `${short}.${namespace}.svc`];
      const rules = [];
      for (const kind of ['VirtualService', 'DestinationRule']) {
        const list = (await Console.get('/api/v1/config?kind=' + kind)).items || [];
        for (const item of list) {
          const answer = await Console.get(Console.objectPath(kind, item.namespace, item.name));
          const spec = (answer.object || {}).spec || {};
          const hosts = kind === 'VirtualService' ? (spec.hosts || []) : [spec.host];
          if (hosts.some(h => names.includes(h))) rules.push([kind, `${item.namespace}/${item.name}`,
            Console.link('edit', `/ui/edit?kind=${kind}&namespace=${item.namespace}&name=${item.name}`),
            kind === 'VirtualService' ? Console.link('routing form', `/ui/routing?kind=${kind}&namespace=${item.namespace}&name=${item.name}`) : '']);
        }
      }
      const tap = await Console.get('/api/v1/tap?wait=0&proxy=' + encodeURIComponent(`${short}.${namespace}`));
      const recent = (tap.items || []).filter(r => r.direction === 'inbound').slice(-20).reverse().map(r => [
        r.time.replace('T', ' ').replace('Z', ''), r.method, r.url, Console.badge(r.status || '-', String(r.status).startsWith('5') ? 'bad' : 'ok'),
        r.flags, (r.latencyMicros / 1000).toFixed(2) + ' ms']);
      const peer = await Console.request('GET', Console.objectPath('PeerAuthentication', namespace, 'default'));
      const mode = peer.status === 200 ? (((peer.body.object || {}).spec || {}).mtls || {}).mode || 'UNSET' : 'UNSET';
      const select = el('select', {id: 'mtls-mode'}, ['STRICT', 'PERMISSIVE', 'DISABLE'].map(m => el('option', m === mode ? {value: m, selected: 'selected'} : {value: m}, m)));
      const result = el('span', {id: 'mtls-result', class: 'muted'}, `in force: ${mode}`);
      const apply = el('button', {id: 'mtls-apply', onclick: async () => {
        const yaml = `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: ${namespace}\nspec:\n  mtls:\n    mode: ${select.value}\n`;
        const answer = await Console.request('PUT', Console.objectPath('PeerAuthentication', namespace, 'default'), yaml, peer.status === 200 ? peer.etag : undefined);
        result.textContent = answer.status < 300 ? `applied: ${select.value}` : `refused (${answer.status}): ${(answer.body.errors || [answer.body.error]).join('; ')}`;
        result.className = answer.status < 300 ? 'ok' : 'error';
      }}, 'Apply');
      Console.show(
        el('p', {}, Console.link('← overview', '/ui/')),
        el('h2', {}, host),
        el('p', {}, `namespace ${namespace}; ports ` + service.ports.map(p => `${p.name || ''} ${p.port}/${p.protocol}`.trim()).join(', ')),
        el('h2', {}, `Endpoints (${service.endpoints.length})`),
        Console.table(['address'], service.endpoints.map(e => [e]), 'service-endpoints'),
        el('h2', {}, `Routing rules in force (${rules.length})`),
        rules.length ? Console.table(['kind', 'object', '', ''], rules, 'service-rules') : el('p', {id: 'service-rules', class: 'muted'}, 'None: requests go round robin to every endpoint.'),
        el('h2', {}, 'Recent requests'),
        recent.length ? Console.table(['time (UTC)', 'method', 'url', 'status', 'flags', 'latency'], recent, 'service-requests')
                      : el('p', {id: 'service-requests', class: 'muted'}, 'None seen yet (from the sidecars\' spans; see the live tap).'),
        el('h2', {}, `mTLS mode of namespace ${namespace}`),
        el('p', {}, 'PeerAuthentication default: ', select, ' ', apply, ' ', result));
    };
    """#
}

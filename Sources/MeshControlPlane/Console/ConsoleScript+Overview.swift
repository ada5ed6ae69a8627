extension ConsoleScript {
    /// Services (hosts, ports, endpoint count), proxies with each xDS type's sync
    /// state, and the config files the store rejected.
    static let overview = #"""
    'use strict';
    Console.views.overview = async function () {
      const el = Console.el;
      const [services, proxies, rejected] = await Promise.all([
        Console.get('/api/v1/services'), Console.get('/api/v1/proxies'), Console.rejectedFiles()]);
      const stateClass = {SYNCED: 'ok', STALE: 'warn', NACKED: 'bad'};
      const serviceRows = (services.items || []).sort((a, b) => a.hostname.localeCompare(b.hostname)).map(s => [
        Console.link(s.hostname, '/ui/service?host=' + encodeURIComponent(s.hostname)), s.namespace,
        s.ports.map(p => `${p.name || ''} ${p.port}/${p.protocol}`.trim()).join(', '),
        String(s.endpoints.length)]);
      const proxyRows = (proxies.items || []).sort((a, b) => a.proxy.localeCompare(b.proxy)).map(p => [
        p.proxy, p.cluster,
        Object.keys(p.types).sort().map(type => {
          const t = p.types[type];
          return el('div', {}, Console.badge(`${type} ${t.state}`, stateClass[t.state] || 'warn'),
            t.error ? el('span', {class: 'error'}, t.error) : null);
        })]);
      const errorRows = Object.keys(rejected).sort().map(file => [file, el('div', {class: 'error'}, rejected[file].join('\n'))]);
      Console.show(
        el('h2', {}, `Services (${serviceRows.length})`),
        Console.table(['host', 'namespace', 'ports', 'endpoints'], serviceRows, 'services'),
        el('h2', {}, `Proxies (${proxyRows.length})`),
        Console.table(['proxy', 'cluster', 'sync status per type'], proxyRows, 'proxies'),
        el('h2', {}, 'Config errors'),
        errorRows.length ? Console.table(['file', 'errors (the last good version stays in force)'], errorRows, 'config-errors')
                         : el('p', {id: 'config-errors', class: 'muted'}, 'None: every config file was accepted.'));
    };
    """#
}

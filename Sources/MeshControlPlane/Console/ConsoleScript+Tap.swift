extension ConsoleScript {
    /// Live tap of the requests through one proxy (`/api/v1/tap`, a long poll):
    /// new rows are added as the proxy's spans arrive, newest on top.
    static let tap = #"""
    'use strict';
    Console.views.tap = async function () {
      const el = Console.el;
      const proxies = (await Console.get('/api/v1/proxies')).items || [];
      const ids = proxies.map(p => p.proxy || '').filter(id => id).sort();
      const chosen = Console.params().get('proxy') || '';
      const select = el('select', {id: 'tap-proxy', onchange: e => { location.search = '?proxy=' + encodeURIComponent(e.target.value); }},
        el('option', {value: ''}, 'every proxy'),
        ids.map(id => el('option', chosen === id ? {value: id, selected: 'selected'} : {value: id}, id)));
      const body = el('tbody', {});
      const status = el('span', {id: 'tap-status', class: 'muted'}, 'waiting for requests…');
      const toggle = el('button', {id: 'tap-toggle'}, 'Pause');
      let running = true, seq = 0, shown = 0;
      toggle.addEventListener('click', () => { running = !running; toggle.textContent = running ? 'Pause' : 'Resume'; if (running) poll(); });
      Console.show(
        el('h2', {}, 'Live tap'),
        el('p', {class: 'muted'}, 'Requests through a proxy, from the spans it exports to this control plane (sampling follows the Telemetry API).'),
        el('p', {}, 'Proxy: ', select, ' ', toggle, ' ', status),
        el('table', {id: 'tap'}, el('thead', {}, el('tr', {}, ['time (UTC)', 'direction', 'method', 'url', 'status', 'flags', 'latency', 'trace']
          .map(h => el('th', {}, h)))), body));
      const first = await Console.get('/api/v1/tap?wait=0&proxy=' + encodeURIComponent(chosen));
      seq = first.seq || 0;   // start from now: only new requests stream in
      async function poll() {
        while (running && document.getElementById('tap') && body.isConnected) {
          let answer;
          try { answer = await Console.get(`/api/v1/tap?wait=10&after=${seq}&proxy=` + encodeURIComponent(chosen)); }
          catch (e) { status.textContent = 'disconnected: ' + e.message; return; }
          seq = answer.seq || seq;
          for (const r of answer.items || []) {
            const bad = String(r.status).startsWith('5') || (r.flags && r.flags !== '-');
            body.prepend(el('tr', {}, [
              r.time.replace('T', ' ').replace('Z', ''), r.direction, r.method, r.url,
              Console.badge(r.status || '-', bad ? 'bad' : 'ok'), r.flags, (r.latencyMicros / 1000).toFixed(2) + ' ms',
              Console.link(r.traceId.slice(0, 8), '/ui/traces?id=' + encodeURIComponent(r.traceId))].map(c => el('td', {}, c))));
            shown++;
          }
          while (body.children.length > 500) body.lastChild.remove();
          status.textContent = `${shown} requests shown`;
        }
      }
      poll();
    };
    """#
}

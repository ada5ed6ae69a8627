extension ConsoleScript {
    /// Recent traces the control plane received (`/api/v1/traces`), newest
    /// first; `?id=TRACE` shows one trace's span tree with a timeline.
    static let traces = #"""
    'use strict';
    Console.views.traces = async function () {
      const el = Console.el;
      const id = Console.params().get('id');
      const ms = micros => (micros / 1000).toFixed(micros < 10000 ? 2 : 1) + ' ms';
      if (!id) {
        const answer = await Console.get('/api/v1/traces?limit=100');
        const rows = (answer.items || []).map(t => [
          t.startTime.replace('T', ' ').replace('Z', ''),
          Console.link(t.rootName, '/ui/traces?id=' + encodeURIComponent(t.traceId)),
          t.services.join(', '), String(t.spanCount), ms(t.durationMicros),
          t.error ? Console.badge('error', 'bad') : Console.badge('ok', 'ok')]);
        Console.show(
          el('h2', {}, `Recent traces (${rows.length})`),
          el('p', {class: 'muted'}, `Spans the proxies exported to this control plane (OTLP/HTTP, POST /v1/traces): ${answer.received || 0} received. ` +
            'Sampling follows the Telemetry API (randomSamplingPercentage); a mesh config with its own tracing provider sends spans there instead.'),
          rows.length ? Console.table(['start (UTC)', 'root span', 'services', 'spans', 'duration', 'status'], rows, 'traces')
                      : el('p', {id: 'traces', class: 'muted'}, 'No traces yet: send a request through the gateway.'));
        return;
      }
      const answer = await Console.request('GET', '/api/v1/traces/' + encodeURIComponent(id));
      if (answer.status !== 200) { Console.show(el('p', {class: 'error'}, answer.body.error || `status ${answer.status}`)); return; }
      const spans = answer.body.spans;
      const start = Math.min(...spans.map(s => s.startUnixNanos));
      const end = Math.max(...spans.map(s => s.startUnixNanos + s.durationMicros * 1000));
      const total = Math.max(end - start, 1);
      const rows = spans.map(s => {
        const offset = (s.startUnixNanos - start) / total * 100;
        const width = Math.max(s.durationMicros * 1000 / total * 100, 0.5);
        const attributes = Object.keys(s.attributes).sort().map(k => `${k}: ${s.attributes[k]}`).join('\n');
        return [
          el('span', {class: 'span-name', style: `padding-left: ${s.depth * 18}px`}, s.name),
          s.service, s.kind, ms(s.durationMicros),
          el('div', {class: 'timeline'}, el('div', {class: 'bar' + (s.error ? ' failing' : ''), style: `margin-left: ${offset}%; width: ${width}%`})),
          s.error ? Console.badge(s.attributes['http.status_code'] || 'error', 'bad') : Console.badge(s.attributes['http.status_code'] || 'ok', 'ok'),
          el('details', {}, el('summary', {}, 'tags'), el('pre', {}, attributes))];
      });
      Console.show(
        el('p', {}, Console.link('← all traces', '/ui/traces')),
        el('h2', {}, `Trace ${answer.body.traceId} (${spans.length} spans)`),
        Console.table(['span', 'service', 'kind', 'duration', 'timeline', 'status', ''], rows, 'spans'));
    };
    """#
}

extension ConsoleScript {
    /// Who calls whom, drawn as SVG: services in columns by call depth (callers to the
    /// left), an arrow per edge labelled with rate, 5xx share and p99; refreshed every 5 s.
    static let topology = #"""
    'use strict';
    Console.views.topology = async function () {
      const el = Console.el;
      const svgNS = 'http://www.w3.org/2000/svg';
      const svgEl = (tag, attributes, text) => {
        const node = document.createElementNS(svgNS, tag);
        for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
        if (text !== undefined) node.textContent = text;
        return node;
      };
      const label = e => [
        e.rate === undefined ? '… rps' : `${e.rate.toFixed(2)} rps`,
        `${(e.errorRate * 100).toFixed(1)}% 5xx`,
        e.p99 === undefined ? 'p99 -' : `p99 ${e.p99.toFixed(1)} ms`].join(' · ');

      // Column = longest call chain reaching the node (cycles are cut at the node count).
      function layout(nodes, edges) {
        const depth = Object.fromEntries(nodes.map(n => [n, 0]));
        for (let round = 0; round < nodes.length; round++) {
          for (const e of edges) if (e.source !== e.destination && depth[e.destination] < depth[e.source] + 1) depth[e.destination] = depth[e.source] + 1;
        }
        const columns = [];
        for (const n of nodes) (columns[depth[n]] = columns[depth[n]] || []).push(n);
        const position = {};
        columns.forEach((column, x) => column.forEach((n, y) => { position[n] = {x: 30 + x * 380, y: 40 + y * 110}; }));
        const height = Math.max(...columns.map(c => (c || []).length), 1) * 110 + 40;
        return {position, width: columns.length * 380, height};
      }

      function draw(data) {
        const {position, width, height} = layout(data.nodes, data.edges);
        const svg = svgEl('svg', {id: 'topology-graph', width, height, viewBox: `0 0 ${width} ${height}`});
        const defs = svgEl('defs', {});
        const marker = svgEl('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto'});
        marker.append(svgEl('path', {d: 'M0,0 L10,5 L0,10 z', fill: '#7a8597'}));
        defs.append(marker);
        svg.append(defs);
        for (const e of data.edges) {
          const a = position[e.source], b = position[e.destination];
          const x1 = a.x + 140, y1 = a.y + 18, x2 = b.x, y2 = b.y + 18;
          const group = svgEl('g', {class: 'edge-group', 'data-source': e.source, 'data-destination': e.destination});
          group.append(svgEl('path', {class: 'edge' + (e.errorRate > 0.05 ? ' failing' : ''), d: `M${x1},${y1} L${x2},${y2}`, 'marker-end': 'url(#arrow)'}));
          group.append(svgEl('text', {x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 6, 'text-anchor': 'middle'}, label(e)));
          svg.append(group);
        }
        for (const n of data.nodes) {
          const p = position[n];
          const group = svgEl('g', {class: 'node', 'data-node': n});
          group.append(svgEl('rect', {x: p.x, y: p.y, width: 140, height: 36, rx: 6}));
          group.append(svgEl('text', {x: p.x + 70, y: p.y + 22, 'text-anchor': 'middle'}, n));
          svg.append(group);
        }
        return svg;
      }

      async function refresh() {
        const data = await Console.get('/api/v1/topology');
        const failures = Object.entries(data.failures || {});
        Console.show(
          el('h2', {}, `Topology (${data.edges.length} edges, from ${data.targets.length} proxies' metrics over ${data.window.toFixed(1)} s)`),
          data.edges.length ? draw(data) : el('p', {class: 'muted'}, 'No requests counted yet: send some traffic.'),
          Console.table(['from', 'to', 'requests', 'rate', '5xx', 'p99'], data.edges.map(e => [
            e.source, e.destination, String(e.requests), e.rate === undefined ? '-' : e.rate.toFixed(2) + ' rps',
            (e.errorRate * 100).toFixed(1) + ' %', e.p99 === undefined ? '-' : e.p99.toFixed(1) + ' ms']), 'edges'),
          failures.length ? el('p', {class: 'error'}, 'Not scraped: ' + failures.map(([t, why]) => `${t} (${why})`).join(', ')) : null);
      }
      await refresh();
      setInterval(() => refresh().catch(error => console.warn('topology refresh failed', error)), 5000);
    };
    """#
}

/// The page shell and its style sheet.
enum ConsolePage {
    static let html = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>SwiftMesh console</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="/ui/console.css">
    </head>
    <body>
    <header>
      <strong>SwiftMesh</strong>
      <nav>
        <a href="/ui/" data-view="overview">Overview</a>
        <a href="/ui/topology" data-view="topology">Topology</a>
        <a href="/ui/config" data-view="config">Config</a>
        <a href="/ui/traces" data-view="traces">Traces</a>
      </nav>
    </header>
    <main id="main"><p class="muted">Loading…</p></main>
    <script src="/ui/js/core.js"></script>
    <script src="/ui/js/yaml.js"></script>
    <script src="/ui/js/overview.js"></script>
    <script src="/ui/js/topology.js"></script>
    <script src="/ui/js/config.js"></script>
    <script src="/ui/js/edit.js"></script>
    <script src="/ui/js/routing.js"></script>
    <script src="/ui/js/resilience.js"></script>
    <script src="/ui/js/traces.js"></script>
    </body>
    </html>
    """#

    static let css = #"""
    body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
    header { display: flex; gap: 24px; align-items: center; padding: 10px 20px; background: #1d2330; color: #fff; }
    header nav a { color: #cfd6e4; margin-right: 16px; text-decoration: none; }
    header nav a.active { color: #fff; border-bottom: 2px solid #5aa0ff; }
    main { padding: 16px 20px; }
    h2 { font-size: 16px; margin: 20px 0 8px; }
    table { border-collapse: collapse; background: #fff; width: 100%; margin-bottom: 12px; }
    th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #e3e6eb; vertical-align: top; }
    th { background: #eef1f5; font-weight: 600; }
    .badge { display: inline-block; padding: 1px 6px; border-radius: 3px; font-size: 12px; margin: 1px 4px 1px 0; }
    .ok { background: #d9f2df; color: #17602b; }
    .warn { background: #fff1c9; color: #6d5200; }
    .bad { background: #fbd9d9; color: #8a1616; }
    .muted { color: #6b7280; }
    .error { color: #8a1616; white-space: pre-wrap; }
    textarea { width: 100%; min-height: 420px; font: 13px/1.4 ui-monospace, monospace; }
    button { padding: 5px 12px; margin-right: 8px; }
    fieldset { background: #fff; border: 1px solid #d5d9e0; margin-bottom: 12px; }
    input[type=number] { width: 70px; }
    svg { background: #fff; border: 1px solid #e3e6eb; }
    svg .node rect { fill: #eaf2ff; stroke: #3b73c4; }
    svg .edge { stroke: #7a8597; fill: none; stroke-width: 1.5; }
    svg .edge.failing { stroke: #c62828; }
    svg text { font-size: 12px; }
    .timeline { position: relative; width: 260px; height: 10px; background: #eef1f5; }
    .timeline .bar { height: 10px; background: #5aa0ff; }
    .timeline .bar.failing { background: #c62828; }
    details pre { margin: 4px 0; font-size: 12px; }
    """#
}

extension ConsoleScript {
    /// A small YAML writer for objects the forms regenerate (block style, strings
    /// quoted whenever a plain scalar could be read as something else).
    static let yaml = #"""
    'use strict';
    const YAML = {
      plain: /^[A-Za-z_\/][A-Za-z0-9_.\/\-]*$/,
      special: /^(true|false|yes|no|on|off|y|n|null|~)$/i,
      scalar(value) {
        if (value === null || value === undefined) return 'null';
        if (Array.isArray(value)) return '[]';
        if (typeof value === 'object') return '{}';
        if (typeof value !== 'string') return String(value);
        return YAML.plain.test(value) && !YAML.special.test(value) ? value : JSON.stringify(value);
      },
      complex(value) { return value !== null && typeof value === 'object' && Object.keys(value).length > 0; },
      lines(value, indent) {
        const out = [];
        if (Array.isArray(value)) {
          for (const item of value) {
            if (YAML.complex(item)) {
              const inner = YAML.lines(item, indent + '  ');
              out.push(indent + '- ' + inner[0].slice(indent.length + 2), ...inner.slice(1));
            } else out.push(indent + '- ' + YAML.scalar(item));
          }
        } else {
          for (const [key, item] of Object.entries(value)) {
            if (YAML.complex(item)) out.push(indent + YAML.scalar(key) + ':', ...YAML.lines(item, indent + '  '));
            else out.push(indent + YAML.scalar(key) + ': ' + YAML.scalar(item));
          }
        }
        return out;
      },
      // Kubernetes order at the top (apiVersion, kind, metadata, spec), the rest after.
      stringify(object) {
        const ordered = {};
        for (const key of ['apiVersion', 'kind', 'metadata', 'spec']) if (key in object) ordered[key] = object[key];
        for (const [key, value] of Object.entries(object)) if (!(key in ordered)) ordered[key] = value;
        if (ordered.metadata) {
          const meta = {};
          for (const key of ['name', 'namespace']) if (key in ordered.metadata) meta[key] = ordered.metadata[key];
          ordered.metadata = Object.assign(meta, ordered.metadata);
        }
        return YAML.lines(ordered, '').join('\n') + '\n';
      },
    };
    """#
}

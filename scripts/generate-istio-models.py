#!/usr/bin/env python3
"""Generate SwiftMesh's typed Istio config models and the embedded structural
schemas from Istio's published CRDs (the authoritative field list).

Usage: scripts/generate-istio-models.py [CRD_FILE]
       (default ../shared/istio/crds/crd-all.gen.yaml relative to the repo root)

Writes:
  Sources/MeshConfig/Istio/Generated/*.swift      typed models (Codable structs + enums)
  Sources/MeshValidation/Generated/IstioCRDSchemas.swift  pruned schemas as JSON text
Descriptions are dropped: the models carry Istio's field names, not its prose.
"""
import json, os, re, sys
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, '..', 'shared', 'istio', 'crds', 'crd-all.gen.yaml')
MODEL_DIR = os.path.join(ROOT, 'Sources', 'MeshConfig', 'Istio', 'Generated')
SCHEMA_FILE = os.path.join(ROOT, 'Sources', 'MeshValidation', 'Generated', 'IstioCRDSchemas.swift')

# Kinds modelled as typed Swift. EnvoyFilter / ProxyConfig / WasmPlugin stay opaque.
KINDS = ['VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry', 'WorkloadEntry',
         'WorkloadGroup', 'Sidecar', 'PeerAuthentication', 'AuthorizationPolicy',
         'RequestAuthentication', 'Telemetry']
SCHEMA_KINDS = KINDS + ['EnvoyFilter', 'ProxyConfig', 'WasmPlugin']

# Istio's message names for nested objects, by path (Kind.field[].field...).
# Istio's message names for nested objects, keyed by "ParentType.field".
FIELD_TYPE_NAMES = {
    'VirtualService.http': 'HTTPRoute', 'HTTPRoute.match': 'HTTPMatchRequest',
    'HTTPMatchRequest.uri': 'StringMatch', 'HTTPMatchRequest.scheme': 'StringMatch',
    'HTTPMatchRequest.method': 'StringMatch', 'HTTPMatchRequest.authority': 'StringMatch',
    'HTTPMatchRequest.headers': 'StringMatch', 'HTTPMatchRequest.queryParams': 'StringMatch',
    'HTTPMatchRequest.withoutHeaders': 'StringMatch', 'CorsPolicy.allowOrigins': 'StringMatch',
    'HTTPRoute.route': 'HTTPRouteDestination', 'HTTPRouteDestination.destination': 'Destination',
    'Destination.port': 'PortSelector', 'HTTPRoute.redirect': 'HTTPRedirect',
    'HTTPRoute.rewrite': 'HTTPRewrite', 'HTTPRewrite.uriRegexRewrite': 'RegexRewrite',
    'HTTPRoute.retries': 'HTTPRetry', 'HTTPRoute.fault': 'HTTPFaultInjection',
    'HTTPFaultInjection.abort': 'HTTPFaultInjectionAbort', 'HTTPFaultInjection.delay': 'HTTPFaultInjectionDelay',
    'HTTPFaultInjectionAbort.percentage': 'Percent', 'HTTPRoute.mirrorPercentage': 'Percent',
    'HTTPRoute.corsPolicy': 'CorsPolicy', 'HTTPRoute.delegate': 'Delegate',
    'HTTPRoute.directResponse': 'HTTPDirectResponse', 'HTTPDirectResponse.body': 'HTTPBody',
    'HTTPRoute.headers': 'Headers', 'Headers.request': 'HeaderOperations', 'Headers.response': 'HeaderOperations',
    'HTTPRoute.mirror': 'Destination', 'HTTPRoute.mirrors': 'HTTPMirrorPolicy',
    'HTTPFaultInjectionDelay.percentage': 'Percent', 'HTTPMirrorPolicy.destination': 'Destination',
    'HTTPMirrorPolicy.percentage': 'Percent', 'HTTPRouteDestination.headers': 'Headers',
    'RouteDestination.destination': 'Destination',
    'VirtualService.tcp': 'TCPRoute', 'TCPRoute.match': 'L4MatchAttributes', 'TCPRoute.route': 'RouteDestination',
    'VirtualService.tls': 'TLSRoute', 'TLSRoute.match': 'TLSMatchAttributes', 'TLSRoute.route': 'RouteDestination',
    'DestinationRule.trafficPolicy': 'TrafficPolicy', 'Subset.trafficPolicy': 'TrafficPolicy',
    'DestinationRule.subsets': 'Subset',
    'TrafficPolicy.connectionPool': 'ConnectionPoolSettings', 'PortTrafficPolicy.connectionPool': 'ConnectionPoolSettings',
    'ConnectionPoolSettings.http': 'HTTPSettings', 'HTTPSettings.http2KeepAlive': 'HTTP2KeepAlive',
    'ConnectionPoolSettings.tcp': 'TCPSettings', 'TCPSettings.tcpKeepalive': 'TCPKeepalive',
    'TrafficPolicy.loadBalancer': 'LoadBalancerSettings', 'PortTrafficPolicy.loadBalancer': 'LoadBalancerSettings',
    'LoadBalancerSettings.backendUtilization': 'BackendUtilizationLB',
    'LoadBalancerSettings.consistentHash': 'ConsistentHashLB', 'ConsistentHashLB.httpCookie': 'HTTPCookie',
    'HTTPCookie.attributes': 'HTTPCookieAttribute', 'ConsistentHashLB.maglev': 'MagLev',
    'ConsistentHashLB.ringHash': 'RingHash', 'LoadBalancerSettings.localityLbSetting': 'LocalityLoadBalancerSetting',
    'LocalityLoadBalancerSetting.distribute': 'LocalityDistribute', 'LocalityLoadBalancerSetting.failover': 'LocalityFailover',
    'LoadBalancerSettings.warmup': 'WarmupConfiguration', 'LoadBalancerSettings.zoneAwareLbSetting': 'ZoneAwareLoadBalancerSetting',
    'ZoneAwareLoadBalancerSetting.failover': 'ZoneAwareFailover',
    'TrafficPolicy.outlierDetection': 'OutlierDetection', 'PortTrafficPolicy.outlierDetection': 'OutlierDetection',
    'TrafficPolicy.portLevelSettings': 'PortTrafficPolicy', 'PortTrafficPolicy.port': 'PortSelector',
    'TrafficPolicy.tls': 'ClientTLSSettings', 'PortTrafficPolicy.tls': 'ClientTLSSettings',
    'TrafficPolicy.proxyProtocol': 'ProxyProtocol', 'TrafficPolicy.retryBudget': 'RetryBudget',
    'TrafficPolicy.tunnel': 'TrafficPolicyTunnelSettings', 'DestinationRule.workloadSelector': 'WorkloadSelector',
    'Gateway.servers': 'Server', 'Server.port': 'Port', 'Server.tls': 'ServerTLSSettings',
    'ServerTLSSettings.tlsCertificates': 'TLSCertificate',
    'ServiceEntry.endpoints': 'WorkloadEntry', 'ServiceEntry.ports': 'ServicePort',
    'ServiceEntry.workloadSelector': 'WorkloadSelector',
    'Sidecar.egress': 'IstioEgressListener', 'IstioEgressListener.port': 'SidecarPort',
    'Sidecar.ingress': 'IstioIngressListener', 'IstioIngressListener.port': 'SidecarPort',
    'IstioIngressListener.tls': 'ServerTLSSettings', 'IstioIngressListener.connectionPool': 'ConnectionPoolSettings',
    'Sidecar.inboundConnectionPool': 'ConnectionPoolSettings',
    'Sidecar.outboundTrafficPolicy': 'OutboundTrafficPolicy', 'OutboundTrafficPolicy.egressProxy': 'Destination',
    'Sidecar.workloadSelector': 'WorkloadSelector',
    'WorkloadGroup.metadata': 'ObjectMetaTemplate', 'WorkloadGroup.probe': 'ReadinessProbe',
    'ReadinessProbe.exec': 'ExecHealthCheckConfig', 'ReadinessProbe.grpc': 'GrpcHealthCheckConfig',
    'ReadinessProbe.httpGet': 'HTTPHealthCheckConfig', 'HTTPHealthCheckConfig.httpHeaders': 'HTTPHeader',
    'ReadinessProbe.tcpSocket': 'TCPHealthCheckConfig', 'WorkloadGroup.template': 'WorkloadEntry',
    'AuthorizationPolicy.provider': 'ExtensionProvider', 'AuthorizationPolicy.rules': 'Rule',
    'Rule.from': 'RuleFrom', 'RuleFrom.source': 'Source', 'Rule.to': 'RuleTo', 'RuleTo.operation': 'Operation',
    'Rule.when': 'Condition', 'AuthorizationPolicy.selector': 'WorkloadSelector',
    'AuthorizationPolicy.targetRef': 'PolicyTargetReference', 'AuthorizationPolicy.targetRefs': 'PolicyTargetReference',
    'PeerAuthentication.mtls': 'PeerAuthenticationMutualTLS', 'PeerAuthentication.portLevelMtls': 'PeerAuthenticationMutualTLS',
    'PeerAuthentication.selector': 'WorkloadSelector',
    'RequestAuthentication.jwtRules': 'JWTRule', 'JWTRule.fromHeaders': 'JWTHeader',
    'JWTRule.outputClaimToHeaders': 'ClaimToHeader', 'RequestAuthentication.selector': 'WorkloadSelector',
    'RequestAuthentication.targetRef': 'PolicyTargetReference', 'RequestAuthentication.targetRefs': 'PolicyTargetReference',
    'Telemetry.accessLogging': 'AccessLogging', 'AccessLogging.filter': 'AccessLoggingFilter',
    'AccessLogging.match': 'AccessLoggingLogSelector', 'AccessLogging.providers': 'ProviderRef',
    'Telemetry.metrics': 'Metrics', 'Metrics.overrides': 'MetricsOverrides', 'Metrics.providers': 'ProviderRef',
    'MetricsOverrides.match': 'MetricSelector', 'MetricsOverrides.tagOverrides': 'TagOverride',
    'Telemetry.tracing': 'Tracing', 'Tracing.customTags': 'CustomTag', 'Tracing.providers': 'ProviderRef',
    'CustomTag.environment': 'TracingEnvironment', 'CustomTag.formatter': 'TracingFormatter',
    'CustomTag.header': 'TracingRequestHeader', 'CustomTag.literal': 'TracingLiteral',
    'Tracing.match': 'TracingSelector', 'Telemetry.selector': 'WorkloadSelector',
    'Telemetry.targetRef': 'PolicyTargetReference', 'Telemetry.targetRefs': 'PolicyTargetReference',
}

SWIFT_KEYWORDS = {'protocol', 'default', 'operator', 'in', 'as', 'is', 'where', 'case', 'return',
                  'private', 'public', 'internal', 'static', 'self', 'Type', 'class', 'struct',
                  'func', 'import', 'let', 'var', 'enum', 'extension', 'repeat', 'switch', 'try'}

SCHEMA_KEEP = {'type', 'properties', 'items', 'additionalProperties', 'enum', 'required', 'oneOf',
               'anyOf', 'allOf', 'not', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems',
               'maxItems', 'maxProperties', 'minProperties', 'pattern', 'format', 'nullable',
               'x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields',
               'x-kubernetes-validations', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys'}


def prune(s):
    if isinstance(s, dict):
        out = {}
        for k, v in s.items():
            if k not in SCHEMA_KEEP:
                continue
            if k == 'properties':
                out[k] = {pk: prune(pv) for pk, pv in v.items()}
            elif k == 'x-kubernetes-validations':
                out[k] = [{'rule': r['rule'], 'message': r.get('message', '')} for r in v]
            else:
                out[k] = prune(v)
        return out
    if isinstance(s, list):
        return [prune(x) for x in s]
    return s


SHAPE_KEEP = {'type', 'properties', 'items', 'additionalProperties', 'enum', 'x-kubernetes-int-or-string'}


def shape(s):
    if isinstance(s, dict):
        out = {}
        for k, v in s.items():
            if k not in SHAPE_KEEP:
                continue
            if k == 'properties':
                out[k] = {pk: shape(pv) for pk, pv in v.items()}
            else:
                out[k] = shape(v)
        return out
    if isinstance(s, list):
        return [shape(x) for x in s]
    return s


def upper_first(s):
    return s[:1].upper() + s[1:]


def enum_case(raw):
    if raw == '':
        return 'empty'
    parts = re.split(r'[_\-\.]', raw)
    if raw.isupper() or '_' in raw:
        parts = [p.lower() for p in parts]
    name = parts[0][:1].lower() + parts[0][1:] + ''.join(upper_first(p) for p in parts[1:])
    if re.match(r'^[0-9]', name):
        name = '_' + name
    if name in SWIFT_KEYWORDS:
        name = '`' + name + '`'
    return name


class Gen:
    def __init__(self):
        self.by_canon = {}      # canonical schema json -> type name
        self.types = {}         # name -> (canon, fields, kinds set, enums)
        self.order = []
        self.owner = {}         # name -> first kind

    def canon(self, s):
        # Types are shared by shape (fields, types, enum values); validation details
        # live in the embedded schemas, not in the Swift types.
        return json.dumps(shape(s), sort_keys=True)

    def object_type(self, s, path, parent, field, kind, root=False):
        name = kind if root else (FIELD_TYPE_NAMES.get(f'{parent}.{field}') or (parent + upper_first(field)))
        # One Swift type per Istio message: same intended name and same shape.
        c = name + ':' + self.canon(s)
        if c in self.by_canon:
            name = self.by_canon[c]
            self.types[name]['kinds'].add(kind)
            return name
        base = name
        n = 2
        while name in self.types and self.types[name]['canon'] != c:
            name = (parent + upper_first(field)) if name == base and parent + upper_first(field) != base else f'{base}{n}'
            n += 1
        self.by_canon[c] = name
        entry = {'canon': c, 'fields': [], 'kinds': {kind}, 'enums': []}
        self.types[name] = entry
        self.order.append(name)
        self.owner[name] = kind
        for fname, fs in sorted(s.get('properties', {}).items()):
            ftype = self.field_type(fs, f'{path}.{fname}', name, fname, kind, entry)
            entry['fields'].append((fname, ftype))
        return name

    def field_type(self, s, path, parent, fname, kind, entry):
        t = s.get('type')
        if s.get('x-kubernetes-int-or-string'):
            return 'IntOrString'
        if 'enum' in s and t == 'string':
            ename = upper_first(fname)
            if ename in (parent,):
                ename += 'Value'
            entry['enums'].append((ename, s['enum']))
            return f'{parent}.{ename}'
        if t == 'string':
            return 'String'
        if t == 'boolean':
            return 'Bool'
        if t == 'integer':
            return 'Int'
        if t == 'number':
            return 'Double'
        if t == 'array':
            it = self.field_type(s['items'], path + '[]', parent, singular(fname), kind, entry)
            return f'[{it}]'
        if t == 'object' or 'properties' in s:
            if 'properties' in s:
                return self.object_type(s, path, parent, fname, kind)
            ap = s.get('additionalProperties')
            if isinstance(ap, dict):
                vt = self.field_type(ap, path + '{}', parent, fname, kind, entry)
                return f'[String: {vt}]'
            return 'JSONValue'
        return 'JSONValue'


def singular(n):
    return n


def swift_prop(name):
    return f'`{name}`' if name in SWIFT_KEYWORDS else name


def render_type(g, name):
    e = g.types[name]
    lines = [f'public struct {name}: Codable, Sendable, Equatable {{']
    for fname, ftype in e['fields']:
        lines.append(f'    public var {swift_prop(fname)}: {ftype}?')
    lines.append('')
    lines.append('    public init() {}')
    for ename, values in e['enums']:
        lines.append('')
        lines.append(f'    public enum {ename}: String, Codable, Sendable, CaseIterable, RawStringEnum, FastNodeDecodable {{')
        for v in values:
            c = enum_case(v)
            lines.append(f'        case {c} = "{v}"' if c.strip('`') != v else f'        case {c}')
        lines.append('    }')
    lines.append('}')
    # Fast path: decode straight from the node tree (no Codable boxes, no paths). Used
    # after the schema check passed; on failure the Codable decoder reports the path.
    lines.append('')
    lines.append(f'extension {name}: FastNodeDecodable {{')
    lines.append('    init(fast node: ConfigNode) throws(FastDecodeFailure) {')
    lines.append('        self.init()')
    lines.append('        guard case .mapping(let entries) = node.value else { throw FastDecodeFailure() }')
    if e['fields']:
        lines.append('        for entry in entries where !entry.value.isNull {')
        lines.append('            switch entry.key {')
        for fname, ftype in e['fields']:
            lines.append(f'            case "{fname}": {swift_prop(fname)} = try .init(fast: entry.value)')
        lines.append('            default: break')
        lines.append('            }')
        lines.append('        }')
    lines.append('    }')
    lines.append('}')
    return '\n'.join(lines)


HEADER = '// Generated by scripts/generate-istio-models.py from Istio\'s CRD schemas. Do not edit.\n'


def main():
    docs = [d for d in yaml.safe_load_all(open(CRD)) if d]
    crds = {d['spec']['names']['kind']: d for d in docs}
    g = Gen()
    roots = {}
    schemas = {}
    for kind in SCHEMA_KINDS:
        d = crds[kind]
        versions = {}
        for v in d['spec']['versions']:
            spec = v['schema']['openAPIV3Schema']['properties']['spec']
            versions[v['name']] = prune(spec)
        storage = [v for v in d['spec']['versions'] if v.get('storage')][0]
        # Keep one schema per distinct shape; versions sharing a shape point at it.
        distinct = {}
        vmap = {}
        for vname, sch in versions.items():
            c = json.dumps(sch, sort_keys=True)
            distinct.setdefault(c, sch)
            vmap[vname] = list(distinct.keys()).index(c)
        schemas[kind] = {'group': d['spec']['group'], 'versions': vmap,
                         'schemas': list(distinct.values())}
        if kind in KINDS:
            spec = storage['schema']['openAPIV3Schema']['properties']['spec']
            roots[kind] = g.object_type(spec, kind, '', kind, kind, root=True)
    os.makedirs(MODEL_DIR, exist_ok=True)
    for f in os.listdir(MODEL_DIR):
        if f.endswith('.swift'):
            os.remove(os.path.join(MODEL_DIR, f))
    files = {}
    for name in g.order:
        kinds = g.types[name]['kinds']
        fname = g.owner[name] if len(kinds) == 1 else 'IstioCommonTypes'
        files.setdefault(fname, []).append(render_type(g, name))
    for fname, blocks in files.items():
        with open(os.path.join(MODEL_DIR, fname + '+Generated.swift'), 'w') as out:
            out.write(HEADER + '\n' + '\n\n'.join(blocks) + '\n')
    os.makedirs(os.path.dirname(SCHEMA_FILE), exist_ok=True)
    payload = json.dumps(schemas, sort_keys=True, separators=(',', ':'))
    with open(SCHEMA_FILE, 'w') as out:
        out.write(HEADER)
        out.write('// Istio\'s structural schemas (descriptions removed), by kind: group, version -> schema index.\n')
        out.write('enum IstioCRDSchemas {\n    static let json = #"""\n')
        # Wrap to keep lines reasonable for editors and diffs.
        for i in range(0, len(payload), 180):
            out.write(payload[i:i + 180] + '\n')
        out.write('"""#\n}\n')
    print(f'{len(g.order)} model types in {len(files)} files; schema {len(payload)} bytes')


if __name__ == '__main__':
    main()

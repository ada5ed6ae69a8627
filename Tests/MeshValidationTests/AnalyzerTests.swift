import MeshConfig
import Testing
@testable import MeshValidation

/// Each analyzer code: a config that triggers it (with the expected origin and text)
/// and, where it matters, the fixed config that does not.
@Suite struct AnalyzerTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let code: String
        let origin: String
        let fragment: String
        let yaml: String
        var testDescription: String { "\(code) \(fragment)" }
    }

    static let services = """
    apiVersion: v1
    kind: Service
    metadata: {name: reviews, namespace: default}
    spec:
      selector: {app: reviews}
      ports: [{name: http, port: 9080, targetPort: 9080}]
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: web, namespace: default}
    spec:
      selector: {app: web}
      ports: [{name: http, port: 80}, {name: https, port: 443}]
    ---
    apiVersion: networking.istio.io/v1
    kind: DestinationRule
    metadata: {name: reviews, namespace: default}
    spec:
      host: reviews
      subsets: [{name: v1, labels: {version: v1}}]
    ---
    apiVersion: networking.istio.io/v1
    kind: Gateway
    metadata: {name: public, namespace: default}
    spec:
      selector: {istio: ingressgateway}
      servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["shop.example.com"]}]
    """

    static func vs(_ name: String, _ spec: String) -> String {
        let body = spec.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        return "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: \(name), namespace: default}\nspec:\n\(body)"
    }

    static let cases: [Case] = [
        Case(code: "IST0101", origin: "VirtualService default/reviews", fragment: "Referenced host not found: \"reviews2\"",
             yaml: vs("reviews", "hosts: [reviews]\nhttp:\n- route:\n  - destination: {host: reviews2}")),
        Case(code: "IST0101", origin: "VirtualService default/reviews", fragment: "Referenced host:port not found: \"reviews:8080\"",
             yaml: vs("reviews", "hosts: [reviews]\nhttp:\n- route:\n  - destination: {host: reviews, port: {number: 8080}}")),
        Case(code: "IST0101", origin: "VirtualService default/reviews", fragment: "Referenced host+subset in destinationrule not found: \"reviews+v9\"",
             yaml: vs("reviews", "hosts: [reviews]\nhttp:\n- route:\n  - destination: {host: reviews, subset: v9}")),
        Case(code: "IST0101", origin: "VirtualService default/reviews", fragment: "Referenced mirror host not found: \"shadow\"",
             yaml: vs("reviews", "hosts: [reviews]\nhttp:\n- route:\n  - destination: {host: reviews}\n  mirror: {host: shadow}")),
        Case(code: "IST0101", origin: "VirtualService default/front", fragment: "Referenced gateway not found: \"missing-gateway\"",
             yaml: vs("front", "hosts: [shop.example.com]\ngateways: [missing-gateway]\nhttp:\n- route:\n  - destination: {host: reviews}")),
        Case(code: "IST0101", origin: "Gateway default/private", fragment: "Referenced selector not found: \"app=private-gw\"",
             yaml: "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: private, namespace: default}\nspec:\n  selector: {app: private-gw}\n  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [\"*\"]}]"),
        Case(code: "IST0101", origin: "AuthorizationPolicy default/allow-ops", fragment: "Referenced namespace not found: \"ops\"",
             yaml: "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: allow-ops, namespace: default}\nspec:\n  rules:\n  - from:\n    - source: {namespaces: [ops]}"),
        Case(code: "IST0109", origin: "VirtualService default/reviews-b", fragment: "The VirtualServices default/reviews-a,default/reviews-b associated with mesh gateway define the same host */reviews.default.svc.cluster.local",
             yaml: vs("reviews-a", "hosts: [reviews]\nhttp:\n- route:\n  - destination: {host: reviews}") + "\n---\n" + vs("reviews-b", "hosts: [reviews]\nhttp:\n- route:\n  - destination: {host: reviews}")),
        Case(code: "IST0111", origin: "Sidecar default/one", fragment: "The Sidecars [one two] in namespace \"default\" have no workload selector",
             yaml: "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: one, namespace: default}\nspec:\n  outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n---\napiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: two, namespace: default}\nspec:\n  outboundTrafficPolicy: {mode: ALLOW_ANY}"),
        Case(code: "IST0112", origin: "VirtualService default/web", fragment: "routes to a service \"web\" that exposes multiple ports [80 443]",
             yaml: vs("web", "hosts: [web]\nhttp:\n- route:\n  - destination: {host: web}")),
        Case(code: "IST0118", origin: "Service default/legacy", fragment: "Port name web (port: 8080, targetPort: 0) doesn't follow the naming convention",
             yaml: "apiVersion: v1\nkind: Service\nmetadata: {name: legacy, namespace: default}\nspec:\n  ports: [{name: web, port: 8080}]"),
        Case(code: "IST0128", origin: "DestinationRule default/external", fragment: "has TLS mode set to SIMPLE but no caCertificates are set to validate server identity for host: api.example.com",
             yaml: "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: external, namespace: default}\nspec:\n  host: api.example.com\n  trafficPolicy:\n    tls: {mode: SIMPLE}"),
        Case(code: "IST0129", origin: "DestinationRule default/external", fragment: "at port number:443",
             yaml: "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: external, namespace: default}\nspec:\n  host: api.example.com\n  trafficPolicy:\n    portLevelSettings:\n    - port: {number: 443}\n      tls: {mode: SIMPLE}"),
        Case(code: "IST0130", origin: "VirtualService default/reviews", fragment: "VirtualService rule #1 not used (only the last rule can have no matches).",
             yaml: vs("reviews", "hosts: [reviews]\nhttp:\n- route:\n  - destination: {host: reviews}\n- route:\n  - destination: {host: reviews, subset: v1}")),
        Case(code: "IST0131", origin: "VirtualService default/reviews", fragment: "VirtualService rule \"second\" match #0 is not used (duplicate/overlapping match in rule \"first\").",
             yaml: vs("reviews", "hosts: [reviews]\nhttp:\n- name: first\n  match: [{uri: {prefix: /a}}]\n  route:\n  - destination: {host: reviews}\n- name: second\n  match: [{uri: {prefix: /a}}, {uri: {prefix: /b}}]\n  route:\n  - destination: {host: reviews, subset: v1}")),
        Case(code: "IST0132", origin: "VirtualService default/front", fragment: "one or more host [other.example.com] defined in VirtualService default/front not found in Gateway default/public.",
             yaml: vs("front", "hosts: [other.example.com]\ngateways: [public]\nhttp:\n- route:\n  - destination: {host: reviews}")),
        Case(code: "IST0134", origin: "ServiceEntry default/db", fragment: "ServiceEntry addresses are required for this protocol.",
             yaml: "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: db, namespace: default}\nspec:\n  hosts: [db.example.com]\n  resolution: DNS\n  ports: [{name: tcp, number: 5432, protocol: TCP}]"),
        Case(code: "IST0145", origin: "Gateway default/public-2", fragment: "Conflict with gateways default/public (workload selector istio=ingressgateway, port 80, hosts shop.example.com).",
             yaml: "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: public-2, namespace: default}\nspec:\n  selector: {istio: ingressgateway}\n  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [\"shop.example.com\"]}]"),
        Case(code: "IST0160", origin: "Telemetry default/a", fragment: "The Telemetries [a b] in namespace \"default\" have no workload selector",
             yaml: "apiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata: {name: a, namespace: default}\nspec:\n  tracing: [{randomSamplingPercentage: 1}]\n---\napiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata: {name: b, namespace: default}\nspec:\n  tracing: [{randomSamplingPercentage: 5}]"),
        Case(code: "IST0162", origin: "Gateway default/alt", fragment: "listening on a target port (port 8443) that is not defined in the Service",
             yaml: "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: alt, namespace: default}\nspec:\n  selector: {istio: ingressgateway}\n  servers: [{port: {number: 8443, name: tcp-alt, protocol: TCP}, hosts: [\"*\"]}]"),
        Case(code: "IST0174", origin: "DestinationRule default/ghost", fragment: "The host ghost defined in the DestinationRule does not match any services in the mesh.",
             yaml: "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: ghost, namespace: default}\nspec:\n  host: ghost\n  trafficPolicy: {loadBalancer: {simple: RANDOM}}"),
        Case(code: "IST0002", origin: "VirtualService default/reviews", fragment: "fault.delay.percent is deprecated",
             yaml: vs("reviews", "hosts: [reviews]\nhttp:\n- fault: {delay: {fixedDelay: 1s, percent: 10}}\n  route:\n  - destination: {host: reviews}")),
        Case(code: "SM0001", origin: "DestinationRule default/reviews", fragment: "Subset \"v1\" of host reviews is not used by any VirtualService route.",
             yaml: vs("reviews", "hosts: [reviews]\nhttp:\n- route:\n  - destination: {host: reviews}")),
    ]

    static func analyze(_ yaml: String) -> [AnalysisMessage] {
        let (reports, failure) = ConfigValidator().validate(source: "analyze.yaml", bytes: Array(yaml.utf8))
        precondition(failure == nil, "fixture does not parse: \(failure!)")
        for report in reports where report.hasErrors {
            preconditionFailure("fixture is invalid: \(report.errors.map { report.formatted($0) })")
        }
        return MeshAnalyzer().analyze(reports.compactMap(\.object))
    }

    @Test(arguments: cases) func reports(_ testCase: Case) {
        let messages = Self.analyze(Self.services + "\n---\n" + testCase.yaml)
        let match = messages.first { $0.code == testCase.code && $0.message.contains(testCase.fragment) && $0.origin == testCase.origin }
        #expect(match != nil, "no \(testCase.code) on \(testCase.origin) containing \(testCase.fragment); got:\n\(messages.map(\.formatted).joined(separator: "\n"))")
        if let match {
            #expect(match.formatted.hasPrefix("\(match.level.rawValue) [\(testCase.code)] (\(testCase.origin)) "))
        }
    }

    @Test func cleanConfigHasNoErrorsOrWarnings() {
        let yaml = Self.services + "\n---\n" + Self.vs("reviews", "hosts: [reviews]\nhttp:\n- route:\n  - destination: {host: reviews, subset: v1}")
            + "\n---\n" + Self.vs("front", "hosts: [shop.example.com]\ngateways: [public]\nhttp:\n- route:\n  - destination: {host: web, port: {number: 80}}")
        let messages = Self.analyze(yaml).filter { $0.level != .info }
        #expect(messages.isEmpty, "\(messages.map(\.formatted))")
    }

    @Test func exampleMeshAnalyzesClean() throws {
        let root = String(#filePath).components(separatedBy: "/Tests/").first! + "/examples"
        var objects: [ConfigObject] = []
        for file in ConfigInputReader.listFiles(in: root) {
            let (reports, failure) = ConfigValidator().validate(source: file, bytes: try #require(ConfigInputReader.readFile(file)))
            #expect(failure == nil)
            #expect(reports.allSatisfy { !$0.hasErrors && $0.warnings.isEmpty }, "\(file)")
            objects += reports.compactMap(\.object)
        }
        #expect(objects.count >= 20)
        let messages = MeshAnalyzer().analyze(objects)
        #expect(messages.isEmpty, "\(messages.map(\.formatted))")
    }

    @Test func messagesAreSortedByLevelThenCode() {
        let messages = Self.analyze(Self.services + "\n---\n" + Self.cases.map(\.yaml).filter { !$0.contains("name: reviews-a") }.joined(separator: "\n---\n"))
        let keys = messages.map { "\($0.level == .error ? 0 : $0.level == .warning ? 1 : 2)-\($0.code)" }
        #expect(keys == keys.sorted())
    }
}

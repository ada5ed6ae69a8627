import MeshConfig
import MeshCore
import Testing
@testable import MeshValidation

/// Hostile and broken input: every outcome is an error with a location, never a
/// crash or a hang.
@Suite struct RobustnessTests {
    static let seedDocument = """
    apiVersion: networking.istio.io/v1
    kind: VirtualService
    metadata:
      name: reviews
      namespace: default
    spec:
      hosts: [reviews]
      http:
      - match:
        - headers:
            end-user: {exact: jason}
          uri: {prefix: /api}
        route:
        - destination: {host: reviews, subset: v2, port: {number: 9080}}
          weight: 80
        - destination: {host: reviews, subset: v1}
          weight: 20
        timeout: 5s
        retries: {attempts: 3, perTryTimeout: 1s}
    ---
    apiVersion: networking.istio.io/v1
    kind: DestinationRule
    metadata: {name: reviews}
    spec:
      host: reviews
      subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
    """

    @Test func truncatedAtEveryLengthNeverCrashes() {
        let bytes = Array(Self.seedDocument.utf8)
        var failures = 0
        for length in stride(from: 0, through: bytes.count, by: 3) {
            let (reports, failure) = ConfigValidator().validate(source: "cut.yaml", bytes: Array(bytes[0..<length]))
            if let failure {
                failures += 1
                #expect(failure.location != nil, "cut at \(length): \(failure)")
            }
            for report in reports {
                for diagnostic in report.diagnostics where diagnostic.isError {
                    #expect(diagnostic.location != nil || diagnostic.path.isEmpty == false)
                }
            }
        }
        #expect(failures > 10)
    }

    @Test func randomMutationsNeverCrash() {
        var generator = SplitMix(seed: 42)
        let original = Array(Self.seedDocument.utf8)
        let alphabet = Array("{}[]:,-&*!|>'\"\n 0123456789abc\u{0}".utf8) + [0xFF, 0xC3]
        var outcomes = (parseErrors: 0, invalid: 0, valid: 0)
        for _ in 0..<1_500 {
            var bytes = original
            for _ in 0..<(1 + Int(generator.next() % 6)) {
                let position = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes.remove(at: position)
                case 1: bytes.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: position)
                default: bytes[position] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                }
            }
            let (reports, failure) = ConfigValidator().validate(source: "mutant.yaml", bytes: bytes)
            if failure != nil { outcomes.parseErrors += 1 }
            if reports.contains(where: \.hasErrors) { outcomes.invalid += 1 } else if failure == nil { outcomes.valid += 1 }
        }
        #expect(outcomes.parseErrors > 0 && outcomes.invalid > 0)
    }

    @Test(arguments: [
        ("port: \"80\" as a string", "spec:\n  host: r\n  trafficPolicy:\n    portLevelSettings:\n    - port: {number: \"80\"}\n      loadBalancer: {simple: RANDOM}", "spec.trafficPolicy.portLevelSettings[0].port.number"),
        ("hosts as a map", "spec:\n  host: {name: r}", "spec.host"),
        ("subsets as a string", "spec:\n  host: r\n  subsets: v1", "spec.subsets"),
        ("huge number", "spec:\n  host: r\n  trafficPolicy:\n    connectionPool:\n      tcp: {maxConnections: 99999999999999999999999}", "spec.trafficPolicy.connectionPool.tcp.maxConnections"),
        ("negative uint", "spec:\n  host: r\n  trafficPolicy:\n    loadBalancer:\n      consistentHash: {maglev: {tableSize: -7}}", "spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize"),
        ("float for int", "spec:\n  host: r\n  trafficPolicy:\n    outlierDetection: {consecutive5xxErrors: 2.5}", "spec.trafficPolicy.outlierDetection.consecutive5xxErrors"),
        ("bool for string", "spec:\n  host: yes", "spec.host"),
        ("null list item", "spec:\n  host: r\n  subsets: [~]", "spec.subsets[0]"),
    ])
    func wrongTypesNameTheField(description: String, body: String, path: String) {
        let yaml = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: r}\n" + body
        let (reports, failure) = ConfigValidator().validate(source: "t.yaml", bytes: Array(yaml.utf8))
        #expect(failure == nil)
        let errors = reports.first?.errors ?? []
        #expect(errors.contains { $0.path.description == path }, "\(description): \(errors)")
        #expect(errors.allSatisfy { $0.location != nil })
    }

    @Test func tenMegabyteObjectIsCheckedWithinSeconds() {
        var yaml = "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: many}\nspec:\n  resolution: NONE\n  ports: [{name: http, number: 80, protocol: HTTP}]\n  hosts:\n"
        var index = 0
        while yaml.utf8.count < 10 * 1024 * 1024 {
            yaml += "  - host-\(index).example.com\n"
            index += 1
        }
        let clock = ContinuousClock()
        let start = clock.now
        let (reports, failure) = ConfigValidator().validate(source: "big.yaml", bytes: Array(yaml.utf8))
        #expect(failure == nil)
        // Istio caps hosts at 256: the 10 MB object is rejected, precisely and quickly.
        let errors = reports.first?.errors ?? []
        #expect(errors.count == 1)
        #expect(errors.first?.path.description == "spec.hosts")
        #expect(errors.first?.message.contains("at most 256") == true)
        #expect(errors.first?.location?.line == 8)
        #expect(clock.now - start < .seconds(60))
    }

    @Test func nonObjectDocumentsAreErrorsNotCrashes() {
        for text in ["- a\n- b\n", "just a string\n", "42\n", "[]\n", "{kind: 7, apiVersion: [x]}\n"] {
            let (reports, failure) = ConfigValidator().validate(source: "odd.yaml", bytes: Array(text.utf8))
            #expect(failure == nil)
            #expect(reports.first?.hasErrors == true, "\(text)")
        }
    }
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import MeshCore
import Testing
@testable import MeshConfig

@Suite struct ConfigNodeDecoderTests {
    func node(_ text: String) -> ConfigNode {
        DocumentParser.parse(Array(text.utf8), source: "t.yaml").documents[0].root
    }

    @Test func decodesGeneratedModelsWithEnumsMapsAndKeywords() throws {
        let spec = node("""
        servers:
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: ["ns/*.example.com"]
          tls: {mode: SIMPLE, credentialName: cert, minProtocolVersion: TLSV1_2}
        selector: {istio: ingressgateway}
        """)
        let gateway = try ConfigNodeDecoder().decode(Gateway.self, from: spec)
        #expect(gateway.servers?.first?.port?.protocol == "HTTPS")
        #expect(gateway.servers?.first?.tls?.mode == .simple)
        #expect(gateway.servers?.first?.tls?.minProtocolVersion == .tlsv12)
        #expect(gateway.selector == ["istio": "ingressgateway"])
    }

    @Test func typeErrorsCarryPathAndPosition() {
        let spec = node("""
        http:
        - route:
          - destination: {host: reviews}
            weight: heavy
        """)
        do {
            _ = try ConfigNodeDecoder().decode(VirtualService.self, from: spec, at: FieldPath([.key("spec")]))
            Issue.record("expected a decoding error")
        } catch {
            #expect(error.path.description == "spec.http[0].route[0].weight")
            #expect(error.message == "expected integer, got string")
            #expect(error.location.line == 4)
        }
    }

    @Test func unknownEnumValueListsTheSupportedOnes() {
        do {
            _ = try ConfigNodeDecoder().decode(PeerAuthentication.self, from: node("mtls: {mode: STRICTEST}"))
            Issue.record("expected a decoding error")
        } catch {
            #expect(error.message.contains("STRICTEST"))
            #expect(error.message.contains("PERMISSIVE"))
        }
    }

    @Test func intOrStringAndJSONValue() throws {
        let service = try ConfigNodeDecoder().decode(KubeService.self, from: node("spec:\n  ports:\n  - {port: 80, targetPort: http}\n  - {port: 81, targetPort: 8081}"))
        #expect(service.spec?.ports?[0].targetPort == .string("http"))
        #expect(service.spec?.ports?[1].targetPort == .int(8081))
        #expect(JSONValue(node("a: [1, true, null, x]")) == .object(["a": .array([.number(1), .bool(true), .null, .string("x")])]))
    }

    @Test func fieldPathRoundTrips() {
        let path = FieldPath(parsing: "spec.http[0].match[2].headers.end-user")
        #expect(path.description == "spec.http[0].match[2].headers.end-user")
        #expect(path.segments.count == 7)
    }
}

@Suite struct FastDecoderAgreementTests {
    /// The generated fast decoder and the Codable decoder must build identical models.
    @Test func fastAndCodableDecodersAgreeOnTheExamples() throws {
        let file = String(#filePath)
        let root = String(file.split(separator: "/Tests/")[0]) + "/examples"
        var compared = 0
        for file in ConfigInputReader.listFiles(in: root) {
            let parsed = DocumentParser.parse(try #require(ConfigInputReader.readFile(file)), source: file)
            for document in parsed.documents {
                guard case .object(let header) = ObjectReader.header(of: document), let spec = header.root["spec"] else { continue }
                switch header.kind {
                case .virtualService: try compare(VirtualService.self, spec)
                case .destinationRule: try compare(DestinationRule.self, spec)
                case .gateway: try compare(Gateway.self, spec)
                case .serviceEntry: try compare(ServiceEntry.self, spec)
                case .workloadEntry: try compare(WorkloadEntry.self, spec)
                case .sidecar: try compare(Sidecar.self, spec)
                case .authorizationPolicy: try compare(AuthorizationPolicy.self, spec)
                case .peerAuthentication: try compare(PeerAuthentication.self, spec)
                case .telemetry: try compare(Telemetry.self, spec)
                default: continue
                }
                compared += 1
            }
        }
        #expect(compared >= 20)
    }

    func compare<T: Decodable & FastNodeDecodable & Equatable>(_ type: T.Type, _ node: ConfigNode) throws {
        let fast = try T(fast: node)
        let slow = try ConfigNodeDecoder().decode(T.self, from: node)
        #expect(fast == slow)
    }

    @Test func fastDecoderRefusesWrongTypes() {
        let node = DocumentParser.parse(Array("hosts: reviews\n".utf8), source: "t").documents[0].root
        #expect(throws: FastDecodeFailure.self) { try VirtualService(fast: node) }
    }
}

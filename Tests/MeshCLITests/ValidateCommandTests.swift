import Foundation
import Testing

@Suite struct ValidateCommandTests {
    @Test func examplesAreValid() throws {
        let result = try CommandRunner.run(["validate", "-f", "examples"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("26 valid, 0 invalid"))
    }

    @Test func everyErrorIsListedWithFileDocumentObjectAndPath() throws {
        let yaml = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: ok, namespace: default}
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: broken, namespace: shop}
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews}
              weight: -1
            timeout: soon
        """
        let result = try CommandRunner.run(["validate", "-f", "-"], stdin: yaml)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("<stdin>:2 VirtualService shop/broken: spec.http[0].route[0].weight: ") && $0.contains("(line 18, column ") })
        #expect(lines.contains { $0.hasPrefix("<stdin>:2 VirtualService shop/broken: spec.http[0].timeout: ") })
        #expect(result.stderr.contains("1 valid, 1 invalid"))
    }

    @Test func warningsAreMarkedAndDoNotFail() throws {
        let yaml = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: shadowed}
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews}
          - route:
            - destination: {host: reviews, subset: v2}
        ---
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w}
        """
        let result = try CommandRunner.run(["validate", "-f", "-"], stdin: yaml)
        #expect(result.status == 0)
        #expect(result.stdout.contains("spec.http[1]: warning: rule #1 is never used"))
        #expect(result.stdout.contains("warning: skipping unknown kind Widget"))
        #expect(result.stderr.contains("1 valid, 0 invalid, 1 skipped"))
    }

    @Test func syntaxErrorsExitTwoWithLineAndColumn() throws {
        let result = try CommandRunner.run(["validate", "-f", "-"], stdin: "kind: Service\nmetadata: {name: x\n")
        #expect(result.status == 2)
        #expect(result.stderr.contains("<stdin>:3:1: YAML syntax error"), "\(result.stderr)")
    }

    @Test func missingFileExitsTwo() throws {
        let result = try CommandRunner.run(["validate", "-f", "no/such/file.yaml"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no/such/file.yaml: no such file or directory"))
    }

    @Test func directoriesAreReadRecursively() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-cli-\(getpid())")
        let nested = directory.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n".write(to: nested.appendingPathComponent("ns.yaml"), atomically: true, encoding: .utf8)
        try #"{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "sa", "namespace": "shop"}}"#.write(to: directory.appendingPathComponent("sa.json"), atomically: true, encoding: .utf8)
        try "not config".write(to: directory.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let result = try CommandRunner.run(["validate", "-f", directory.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("2 valid"))
    }

    @Test func helpTeaches() throws {
        let result = try CommandRunner.run(["validate", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("FILE:DOC KIND NAMESPACE/NAME: field.path: message"))
        #expect(result.stdout.contains("Exit status"))
    }
}

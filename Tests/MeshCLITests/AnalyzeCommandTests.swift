import Testing

@Suite struct AnalyzeCommandTests {
    @Test func examplesAnalyzeClean() throws {
        let result = try CommandRunner.run(["analyze", "-f", "examples"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("No validation issues found"))
    }

    @Test func referencedHostNotFound() throws {
        let yaml = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews2}
        """
        let result = try CommandRunner.run(["analyze", "-f", "-"], stdin: yaml)
        #expect(result.status == 1)
        #expect(result.stdout.contains("Error [IST0101] (VirtualService default/reviews) Referenced host not found: \"reviews2\""), "\(result.stdout)")
    }

    @Test func warningsAloneExitZero() throws {
        let yaml = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: api, namespace: default}
        spec:
          host: api.example.com
          trafficPolicy:
            tls: {mode: SIMPLE}
        """
        let result = try CommandRunner.run(["analyze", "-f", "-"], stdin: yaml)
        #expect(result.status == 0)
        #expect(result.stdout.contains("Warning [IST0128]"))
    }

    @Test func invalidObjectsAreSchemaErrors() throws {
        let yaml = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: bad}\nspec:\n  host: r\n  subsets: [{name: v1}, {name: v1}]\n"
        let result = try CommandRunner.run(["analyze", "-f", "-"], stdin: yaml)
        #expect(result.status == 1)
        #expect(result.stdout.contains("Error [IST0106] (DestinationRule default/bad <stdin>:6) Schema validation error: spec.subsets[1].name"), "\(result.stdout)")
    }

    @Test func topLevelHelpListsCommands() throws {
        let result = try CommandRunner.run(["--help"])
        #expect(result.stdout.contains("validate"))
        #expect(result.stdout.contains("analyze"))
    }
}

import Foundation
import Testing
@testable import MeshProxy

/// A bad bootstrap is a startup error naming the field, its line and what is
/// wrong, in YAML and in JSON.
@Suite struct BootstrapDecoderErrorTests {
    static func error(yaml: String) -> BootstrapError? {
        do {
            _ = try BootstrapDecoder.decode(yaml: yaml)
        } catch let error as BootstrapError {
            return error
        } catch {
            Issue.record("not a BootstrapError: \(error)")
        }
        return nil
    }

    static let cluster = """
    static_resources:
      clusters:
      - name: upstream
        type: STATIC
        connect_timeout: 0.25
    """

    @Test func malformedDurationNamesFieldAndLine() throws {
        let error = try #require(Self.error(yaml: Self.cluster))
        #expect(error.field == "static_resources.clusters[0].connect_timeout")
        #expect(error.location?.line == 5)
        #expect(error.location?.column == 22)
        #expect(error.reason.contains("duration"), "\(error)")
        #expect(error.reason.contains("0.25s"), "\(error)")
        #expect(error.description.hasPrefix("bootstrap:5:22: static_resources.clusters[0].connect_timeout: "))
    }

    @Test func unknownFieldDeepInsideAListenerIsNamed() throws {
        // The misspelt field is on the first route's second line.
        let yaml = BootstrapYAMLFixture.httpListener("ingress", port: 18084, routes: """
        - match: {prefix: /}
          route: {cluster: upstream, timout: 5s}
        """)
        let error = try #require(Self.error(yaml: yaml))
        #expect(error.field == "static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes[0].route.timout")
        #expect(error.location?.line == 17)
        #expect(error.reason.contains("unknown field \"timout\""), "\(error)")
    }

    @Test func wrongTypeAndEnumValuesAreNamed() throws {
        let port = try #require(Self.error(yaml: """
        admin:
          address:
            socket_address: {address: 127.0.0.1, port_value: fifteen-thousand}
        """))
        #expect(port.field == "admin.address.socket_address.port_value")
        #expect(port.location?.line == 3)
        let type = try #require(Self.error(yaml: Self.cluster.replacingOccurrences(of: "STATIC", with: "STATIK")
            .replacingOccurrences(of: "0.25", with: "0.25s")))
        #expect(type.field == "static_resources.clusters[0].type")
        #expect(type.location?.line == 4)
        #expect(type.reason.contains("enum"), "\(type)")
    }

    @Test func yamlSyntaxErrorsHaveAPosition() throws {
        let error = try #require(Self.error(yaml: "static_resources:\n  clusters:\n  - name: a\n   type: STATIC\n"))
        #expect(error.field == "(document)")
        #expect(error.location?.line == 4)
        #expect(error.reason.contains("YAML syntax error"), "\(error)")
    }

    @Test func unknownAliasSecondDocumentAndNonMappingAreRefused() throws {
        let alias = try #require(Self.error(yaml: "static_resources:\n  clusters: *missing\n"))
        #expect(alias.location?.line == 2)
        #expect(alias.reason.contains("alias"))
        let twoDocuments = try #require(Self.error(yaml: "admin: {}\n---\nadmin: {}\n"))
        #expect(twoDocuments.location?.line == 3)
        #expect(twoDocuments.reason.contains("one YAML document"))
        let list = try #require(Self.error(yaml: "- a\n- b\n"))
        #expect(list.reason.contains("expected a mapping"))
        #expect(Self.error(yaml: "admin: {}\n---\n") == nil, "a trailing empty document is nothing")
    }

    @Test func mergeKeysAreUnknownFieldsAsInEnvoy() throws {
        // Envoy (yaml-cpp) has no `<<` merge keys: it reports an unknown field `<<`.
        let error = try #require(Self.error(yaml: """
        !ignore defaults: &defaults {type: STATIC, connect_timeout: 1s}
        static_resources:
          clusters:
          - <<: *defaults
            name: upstream
        """))
        #expect(error.field == "static_resources.clusters[0].<<")
        #expect(error.location?.line == 4)
    }

    @Test func jsonErrorsGetLinesToo() throws {
        let json = """
        {
          "static_resources": {
            "clusters": [{
              "name": "upstream",
              "connect_timeout": "1s", "no_such_field": 1
            }]
          }
        }
        """
        do {
            _ = try BootstrapDecoder.decode(json: json)
            Issue.record("expected an error")
        } catch let error as BootstrapError {
            #expect(error.field == "static_resources.clusters[0].no_such_field")
            #expect(error.location?.line == 5)
        }
    }
}

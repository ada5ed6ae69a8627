import ArgumentParser
import Foundation
import MeshConfig
import MeshRegistry
import MeshSnapshot
import SwiftProtobuf
import XDSAPI
import XDSTranslator

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Print exactly what one proxy would be sent, in Envoy's JSON form.",
        discussion: """
        Translates the config directory for the proxy named by --node (Istio's node id,
        TYPE~IP~ID~DOMAIN, e.g. sidecar~127.0.10.2~catalog-v1.shop~shop.svc.cluster.local) and
        prints its resources with the protobuf JSON mapping (`@type` on nested Any values).
        With --type all and -o json the output is one object with the keys listeners, routes,
        clusters, endpoints and secrets, each an array of resources: diff it, golden-test it,
        or paste it into a static Envoy bootstrap.

        --metadata takes the node metadata as JSON, as Istio's bootstrap sets it, e.g.
          '{"NAMESPACE": "shop", "LABELS": {"app": "catalog", "version": "v1"}}'
        """
    )

    enum ResourceType: String, ExpressibleByArgument, CaseIterable {
        case listeners, routes, clusters, endpoints, secrets, all
    }

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case json, yaml
    }

    @Option(name: .long, help: ArgumentHelp("The config directory.", valueName: "dir"))
    var config: String

    @Option(name: .long, help: ArgumentHelp("The proxy's node id (TYPE~IP~ID~DOMAIN).", valueName: "id"))
    var node: String

    @Option(name: .long, help: ArgumentHelp("Node metadata as a JSON object (NAMESPACE, LABELS, ...).", valueName: "json"))
    var metadata: String?

    @Option(name: .long, help: "Which resources: listeners, routes, clusters, endpoints, secrets or all.")
    var type: ResourceType = .all

    @Option(name: .shortAndLong, help: "json or yaml.")
    var output: OutputFormat = .json

    func run() throws {
        let (objects, errors) = ConfigDirectory.load(config)
        for error in errors { FileHandle.standardError.write(Data("warning: \(error)\n".utf8)) }
        let (labels, values) = try NodeMetadataOption.parse(metadata)
        let proxy: ProxyNode
        do {
            proxy = try ProxyNode(nodeID: node, metadata: values, labels: labels)
        } catch {
            throw ValidationError(error.description)
        }
        let resources = XDSTranslator().resources(for: proxy, in: MeshSnapshot(version: 1, objects: objects))
        let json = try resources.json(type: type.rawValue)
        print(output == .json ? json : try JSONToYAML.convert(json))
    }
}

/// Loads a config directory the way the control plane does (last good per file).
enum ConfigDirectory {
    static func load(_ directory: String) -> ([ConfigObject], [String]) {
        var store = ConfigStore()
        var errors: [String] = []
        for file in ConfigInputReader.listFiles(in: directory) {
            guard let bytes = ConfigInputReader.readFile(file) else { continue }
            if case .rejected(_, let reasons) = store.apply(file: file, bytes: bytes) {
                errors.append("\(file) is invalid and was skipped: \(reasons.joined(separator: "; "))")
            }
        }
        return (store.objects, errors)
    }
}

enum NodeMetadataOption {
    /// `--metadata` JSON -> (labels, string values).
    static func parse(_ text: String?) throws -> ([String: String], [String: String]) {
        guard let text else { return ([:], [:]) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw ValidationError("--metadata must be a JSON object")
        }
        var labels: [String: String] = [:]
        var values: [String: String] = [:]
        for (key, value) in object {
            if key == "LABELS", let map = value as? [String: Any] {
                for (label, labelValue) in map { labels[label] = "\(labelValue)" }
            } else if let string = value as? String {
                values[key] = string
            }
        }
        return (labels, values)
    }
}

/// JSON -> YAML for `-o yaml`: the JSON is read with our own YAML reader (JSON is
/// YAML) and written back in block style, strings quoted.
enum JSONToYAML {
    static func convert(_ json: String) throws -> String {
        let parsed = DocumentParser.parse(Array(json.utf8), source: "json")
        guard let root = parsed.documents.first?.root else { throw ValidationError("cannot convert to YAML") }
        var out = ""
        emit(root, indent: 0, into: &out)
        return out
    }

    static func emit(_ node: ConfigNode, indent: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: indent)
        switch node.value {
        case .mapping(let entries):
            for entry in entries {
                out += pad + quote(entry.key) + ":"
                inline(entry.value, indent: indent, into: &out)
            }
        case .sequence(let items):
            for item in items {
                out += pad + "-"
                inline(item, indent: indent, into: &out)
            }
        default:
            out += pad + scalar(node) + "\n"
        }
    }

    static func inline(_ node: ConfigNode, indent: Int, into out: inout String) {
        switch node.value {
        case .mapping(let entries) where entries.isEmpty: out += " {}\n"
        case .sequence(let items) where items.isEmpty: out += " []\n"
        case .mapping, .sequence:
            out += "\n"
            emit(node, indent: indent + 1, into: &out)
        default: out += " " + scalar(node) + "\n"
        }
    }

    static func scalar(_ node: ConfigNode) -> String {
        switch node.value {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .int(let value): String(value)
        case .bigInteger(let text): text
        case .float(let value): String(value)
        case .string(let text): quote(text)
        default: ""
        }
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += (scalar.value < 0x10 ? "\\x0" : "\\x") + String(scalar.value, radix: 16) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

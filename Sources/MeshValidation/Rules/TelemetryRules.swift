import Foundation
import MeshConfig
import MeshCore

/// Telemetry: providers, metric overrides, tracing and access-log settings.
enum TelemetryRules {
    static func validate(_ telemetry: Telemetry, into sink: inout DiagnosticSink) {
        let spec = FieldPath([.key("spec")])
        PolicyTargetChecks.validate(selector: telemetry.selector, targetRef: telemetry.targetRef, targetRefs: telemetry.targetRefs, spec, &sink)
        for (index, metrics) in (telemetry.metrics ?? []).enumerated() {
            let path = spec / "metrics" / index
            providers(metrics.providers, path / "providers", &sink)
            for (overrideIndex, override) in (metrics.overrides ?? []).enumerated() {
                let overridePath = path / "overrides" / overrideIndex
                if let custom = override.match?.customMetric, custom.isEmpty {
                    sink.error(overridePath / "match" / "customMetric", "customMetric must not be empty")
                }
                for (tag, value) in (override.tagOverrides ?? [:]).sorted(by: { $0.key < $1.key }) {
                    if tag.isEmpty { sink.warning(overridePath / "tagOverrides", "empty tag name") }
                    if value.operation == .remove && value.value != nil {
                        sink.error(overridePath / "tagOverrides" / tag / "value", "value must not be set when operation is REMOVE")
                    }
                    // UPSERT is the default operation: Istio needs a value unless REMOVE is explicit.
                    if (value.operation ?? .upsert) == .upsert && (value.value ?? "").isEmpty {
                        sink.error(overridePath / "tagOverrides" / tag, "value must be set when operation is UPSERT (the default)")
                    }
                }
            }
        }
        let tracing = telemetry.tracing ?? []
        if tracing.count > 1 { sink.warning(spec / "tracing", "only one tracing configuration is used; merge them") }
        for (index, entry) in tracing.enumerated() {
            let path = spec / "tracing" / index
            providers(entry.providers, path / "providers", &sink)
            if (entry.providers ?? []).count > 1 { sink.warning(path / "providers", "only one tracing provider is supported at a time") }
            if let percentage = entry.randomSamplingPercentage, percentage < 0 || percentage > 100 {
                sink.error(path / "randomSamplingPercentage", "sampling percentage \(percentage) must be in the range 0..100")
            }
            for (name, tag) in (entry.customTags ?? [:]).sorted(by: { $0.key < $1.key }) {
                let tagPath = path / "customTags" / name
                if name.isEmpty { sink.error(path / "customTags", "custom tag name must not be empty") }
                // Istio admits a tag without a type and the proxies ignore it.
                if tag.literal == nil && tag.header == nil && tag.environment == nil && tag.formatter == nil {
                    sink.warning(tagPath, "custom tag has no literal, header, environment or formatter: it is ignored")
                }
                if let literal = tag.literal, (literal.value ?? "").isEmpty { sink.error(tagPath / "literal" / "value", "literal value must not be empty") }
                if let header = tag.header, (header.name ?? "").isEmpty { sink.error(tagPath / "header" / "name", "header name must not be empty") }
                if let environment = tag.environment, (environment.name ?? "").isEmpty { sink.error(tagPath / "environment" / "name", "environment variable name must not be empty") }
            }
        }
        for (index, logging) in (telemetry.accessLogging ?? []).enumerated() {
            let path = spec / "accessLogging" / index
            providers(logging.providers, path / "providers", &sink)
            if let expression = logging.filter?.expression, let problem = FilterExpression.problem(expression) {
                sink.error(path / "filter" / "expression", problem)
            }
        }
    }

    static func providers(_ providers: [ProviderRef]?, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        for (index, provider) in (providers ?? []).enumerated() where (provider.name ?? "").isEmpty {
            sink.error(path / index / "name", "provider name must not be empty")
        }
    }
}

/// Syntax check of access-log filter expressions (CEL): balanced brackets and
/// quotes, no dangling operators. The proxies evaluate the subset they support.
enum FilterExpression {
    static func problem(_ expression: String) -> String? {
        let trimmed = expression.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return "filter expression must not be empty" }
        var stack: [Character] = []
        var quote: Character?
        var previous: Character = " "
        for character in trimmed {
            if let open = quote {
                if character == open && previous != "\\" { quote = nil }
                previous = character
                continue
            }
            switch character {
            case "\"", "'": quote = character
            case "(", "[", "{": stack.append(character)
            case ")", "]", "}":
                let expected: Character = character == ")" ? "(" : character == "]" ? "[" : "{"
                guard stack.popLast() == expected else { return "filter expression is not a valid CEL expression: unbalanced \"\(character)\"" }
            default: break
            }
            previous = character
        }
        if quote != nil { return "filter expression is not a valid CEL expression: unterminated string" }
        if !stack.isEmpty { return "filter expression is not a valid CEL expression: unclosed \"\(stack.last!)\"" }
        for suffix in ["&&", "||", "==", "!=", ">=", "<=", "+", "-", "*", "/", "!", "<", ">", "."] where trimmed.hasSuffix(suffix) {
            return "filter expression is not a valid CEL expression: ends with \"\(suffix)\""
        }
        for prefix in ["&&", "||", "==", "*", "/"] where trimmed.hasPrefix(prefix) {
            return "filter expression is not a valid CEL expression: starts with \"\(prefix)\""
        }
        return nil
    }
}

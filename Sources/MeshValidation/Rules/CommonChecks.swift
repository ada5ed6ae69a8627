import MeshConfig
import MeshCore

/// Checks shared by several kinds (hosts, ports, labels, selectors, regexes, header
/// names, exportTo...). Each appends to `sink` with the field path it was given.
enum CommonChecks {
    static func port(_ value: Int?, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        guard let value else { return }
        if value < 1 || value > 65535 {
            sink.error(path, "port number \(value) must be in the range 1..65535")
        }
    }

    /// A host that may carry a wildcard prefix; short names are fine.
    static func wildcardHost(_ host: String, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        if let problem = HostName.wildcardDomainProblem(host) {
            sink.error(path, problem)
        } else if topLevelIsNumeric(host), !IPAddress.isAddress(host) {
            sink.error(path, "host \"\(host)\" is invalid: the top-level domain cannot be all-numeric")
        }
    }

    static func topLevelIsNumeric(_ host: String) -> Bool {
        var name = Substring(host)
        if name.hasSuffix(".") { name = name.dropLast() }
        guard let last = name.split(separator: ".", omittingEmptySubsequences: false).last, name.contains(".") else { return false }
        return Int(last) != nil
    }

    static func dnsLabel(_ value: String, _ path: FieldPath, what: String, _ sink: inout DiagnosticSink) {
        if !HostName.isLabel(value) {
            sink.error(path, "\(what) \"\(value)\" must be a DNS-1123 label (letters, digits and '-', at most 63 characters)")
        }
    }

    static func labels(_ labels: [String: String]?, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        for (key, value) in (labels ?? [:]).sorted(by: { $0.key < $1.key }) {
            if let problem = LabelRules.keyProblem(key) { sink.error(path / key, problem) }
            if let problem = LabelRules.valueProblem(value) { sink.error(path / key, problem) }
        }
    }

    /// Workload selectors: no wildcards; an empty selector selects everything (warning).
    static func selector(_ matchLabels: [String: String]?, present: Bool, _ path: FieldPath, _ sink: inout DiagnosticSink, emptyMeaning: String) {
        guard present else { return }
        let labels = matchLabels ?? [:]
        if labels.isEmpty {
            sink.warning(path, "workload selector has no labels: \(emptyMeaning)")
        }
    }

    static func regex(_ pattern: String, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        if pattern.isEmpty {
            sink.error(path, "regex must not be empty")
            return
        }
        if pattern.utf8.count > 1024 {
            sink.error(path, "regex is too large (max 1024 bytes)")
            return
        }
        do {
            _ = try RegexPattern(pattern)
        } catch {
            sink.error(path, "\(error.description) (RE2 syntax: no look-around or back-references)")
        }
    }

    static func stringMatch(_ match: StringMatch?, _ path: FieldPath, _ sink: inout DiagnosticSink, allowEmptyPrefix: Bool = false) {
        guard let match else { return }
        if let prefix = match.prefix, prefix.isEmpty, !allowEmptyPrefix {
            sink.error(path / "prefix", "prefix match must not be empty")
        }
        if let regex = match.regex { self.regex(regex, path / "regex", &sink) }
    }

    /// RFC 7230 token, plus HTTP/2 pseudo-headers and JWT-claim routing keys.
    static func matchHeaderName(_ name: String, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        if name.isEmpty {
            sink.error(path, "header name must not be empty")
        } else if [":method", ":scheme", ":authority", ":path", ":status"].contains(name) || JWTClaimKey.isClaimKey(name) {
            return
        } else if !isToken(name) {
            sink.error(path, "\"\(name)\" is not a valid HTTP header name")
        }
    }

    static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            HostName.isAlphanumeric(byte) || "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    static func headerOperations(_ ops: HeaderOperations?, _ path: FieldPath, isRequest: Bool, _ sink: inout DiagnosticSink) {
        guard let ops else { return }
        for (field, values) in [("set", ops.set), ("add", ops.add)] {
            for (name, value) in (values ?? [:]).sorted(by: { $0.key < $1.key }) {
                let lowered = name.lowercased()
                if name.isEmpty {
                    sink.error(path / field, "header name must not be empty")
                } else if isRequest, lowered == ":authority" || lowered == "host" {
                    // Rewriting the authority is allowed on requests.
                } else if lowered == "host" {
                    sink.error(path / field / name, "cannot set the Host header on a response")
                } else if name.hasPrefix(":") {
                    sink.error(path / field / name, "header name cannot start with ':'")
                } else if !isToken(name) {
                    sink.error(path / field / name, "\"\(name)\" is not a valid HTTP header name")
                }
                if let problem = HeaderValueFormat.problem(value) {
                    sink.error(path / field / name, problem)
                }
            }
        }
        for (index, name) in (ops.remove ?? []).enumerated() {
            if name.isEmpty { sink.error(path / "remove" / index, "header name must not be empty") }
            else if name.lowercased() == "host" { sink.error(path / "remove" / index, "cannot remove the Host header") }
            else if name.hasPrefix(":") { sink.error(path / "remove" / index, "header name cannot start with ':'") }
        }
    }

    /// `exportTo`: `.`, `*`, `~` (ServiceEntry only) or namespace names, not mixed.
    static func exportTo(_ list: [String]?, namespace: String, allowNone: Bool, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        guard let list, !list.isEmpty else { return }
        var seen = Set<String>()
        for (index, entry) in list.enumerated() {
            let resolved = entry == "." ? namespace : entry
            if entry == "~" && !allowNone {
                sink.error(path / index, "exportTo \"~\" is only allowed on ServiceEntry")
            } else if entry != "." && entry != "*" && entry != "~" && !HostName.isDNS1123LowercaseLabel(entry) {
                sink.error(path / index, "exportTo entry \"\(entry)\" must be \".\", \"*\", \"~\" or a namespace name")
            }
            if !seen.insert(resolved).inserted {
                sink.error(path / index, "duplicate exportTo entry \"\(entry)\"")
            }
        }
        if list.count > 1 && list.contains("*") {
            sink.error(path, "cannot export to everyone (*) and to specific namespaces at once")
        }
        if list.count > 1 && list.contains("~") {
            sink.error(path, "cannot export to no one (~) and to some namespaces at once")
        }
    }

    /// Durations that the CRD does not already check (zero allowed where Istio allows it).
    static func duration(_ text: String?, _ path: FieldPath, allowZero: Bool, _ sink: inout DiagnosticSink) {
        guard let text else { return }
        do {
            let value = try GoDuration.parse(text)
            if value == 0 && allowZero { return }
            if value < GoDuration.millisecond {
                sink.error(path, "duration must be at least 1ms")
            } else if value % GoDuration.millisecond != 0 {
                sink.error(path, "only durations to ms precision are supported")
            }
        } catch {
            sink.error(path, error.description)
        }
    }

    static func percentage(_ value: Double?, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        guard let value else { return }
        if value < 0 || value > 100 || value.isNaN {
            sink.error(path, "percentage \(value) must be in the range 0..100")
        }
    }

    static func nonEmptyStrings(_ list: [String]?, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        for (index, value) in (list ?? []).enumerated() where value.isEmpty {
            sink.error(path / index, "empty value is not allowed")
        }
    }
}

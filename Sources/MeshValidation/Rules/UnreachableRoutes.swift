import MeshConfig
import MeshCore

/// Routes that can never be taken: a catch-all (no match) before other routes, or
/// matches repeated from earlier routes. Reported as warnings, as Istio does; the
/// analyzer reports the same findings as IST0130 / IST0131.
public enum UnreachableRoutes {
    public struct Finding: Sendable, Equatable {
        public enum Kind: Sendable, Equatable { case unreachableRule, ineffectiveMatch }
        public var kind: Kind
        public var path: FieldPath
        /// `"name"` for named http routes, else `#index`, as istioctl prints them.
        public var rule: String
        /// For ineffective matches: the match (`#index` or `"name"`) and the earlier rule.
        public var match: String?
        public var earlierRule: String?
        public var reason: String

        /// Istio's analyzer wording (IST0130 / IST0131).
        public var analyzerText: String {
            switch kind {
            case .unreachableRule: "VirtualService rule \(rule) not used (\(reason))."
            case .ineffectiveMatch: "VirtualService rule \(rule) match \(match ?? "") is not used (\(reason))."
            }
        }

        var validationText: String {
            switch kind {
            case .unreachableRule: "rule \(rule) is never used (\(reason))"
            case .ineffectiveMatch: "match \(match ?? "") of rule \(rule) is never used (\(reason))"
            }
        }
    }

    static func check(_ vs: VirtualService, _ spec: FieldPath, _ sink: inout DiagnosticSink) {
        for finding in findings(vs, spec) { sink.warning(finding.path, finding.validationText) }
    }

    public static func findings(_ vs: VirtualService, _ spec: FieldPath = FieldPath([.key("spec")])) -> [Finding] {
        var result: [Finding] = []
        scan((vs.http ?? []).map { route in
            (route.name, route.match?.map { match -> (HTTPMatchRequest, String?) in
                var copy = match
                copy.name = nil
                return (copy, match.name)
            })
        }, spec / "http", &result)
        scan((vs.tcp ?? []).map { (nil, $0.match?.map { ($0, nil) }) }, spec / "tcp", &result)
        scan((vs.tls ?? []).map { (nil, $0.match?.map { ($0, nil) }) }, spec / "tls", &result)
        return result
    }

    private static func scan<M: Equatable>(_ rules: [(String?, [(M, String?)]?)], _ path: FieldPath, _ result: inout [Finding]) {
        var sawCatchAll = false
        var seen: [(M, String)] = []
        for (index, (name, matches)) in rules.enumerated() {
            let label = name.map { "\"\($0)\"" } ?? "#\(index)"
            let matches = matches ?? []
            if sawCatchAll {
                let reason = matches.isEmpty ? "only the last rule can have no matches" : "route without matches defined before"
                result.append(Finding(kind: .unreachableRule, path: path / index, rule: label, reason: reason))
                continue
            }
            if matches.isEmpty {
                sawCatchAll = true
                continue
            }
            var duplicates = 0
            for (matchIndex, (match, matchName)) in matches.enumerated() {
                if let earlier = seen.first(where: { $0.0 == match }) {
                    duplicates += 1
                    result.append(Finding(kind: .ineffectiveMatch, path: path / index / "match" / matchIndex, rule: label,
                                          match: matchName.map { "\"\($0)\"" } ?? "#\(matchIndex)", earlierRule: earlier.1,
                                          reason: "duplicate/overlapping match in rule \(earlier.1)"))
                } else {
                    seen.append((match, label))
                }
            }
            if duplicates == matches.count {
                result.append(Finding(kind: .unreachableRule, path: path / index, rule: label, reason: "all matches used by prior rules"))
            }
        }
    }
}

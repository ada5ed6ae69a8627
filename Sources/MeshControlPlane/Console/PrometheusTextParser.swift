/// Reads Prometheus' text exposition format (what `/stats/prometheus` serves) into
/// samples. Pure; lenient: comments, blank and malformed lines are skipped, so one
/// odd line from a proxy never hides the rest of its metrics.
public enum PrometheusTextParser {
    public struct Sample: Sendable, Equatable {
        public var name: String
        public var labels: [String: String]
        public var value: Double

        public init(name: String, labels: [String: String], value: Double) {
            self.name = name
            self.labels = labels
            self.value = value
        }
    }

    /// Samples whose metric name is in `names` (nil: all of them).
    public static func parse(_ text: String, names: Set<String>? = nil) -> [Sample] {
        var samples: [Sample] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let first = line.first, first != "#" else { continue }
            let nameEnd = line.firstIndex { $0 == "{" || $0 == " " } ?? line.endIndex
            let name = String(line[..<nameEnd])
            if let names, !names.contains(name) { continue }
            if let sample = sample(name: name, rest: line[nameEnd...]) { samples.append(sample) }
        }
        return samples
    }

    private static func sample(name: String, rest: Substring) -> Sample? {
        var labels: [String: String] = [:]
        var remainder = rest
        if remainder.first == "{" {
            guard let (parsed, after) = self.labels(remainder.dropFirst()) else { return nil }
            labels = parsed
            remainder = after
        }
        // Value, then an optional timestamp we do not need.
        guard let text = remainder.split(separator: " ").first, let value = number(text) else { return nil }
        return Sample(name: name, labels: labels, value: value)
    }

    /// `a="x",b="y\"z"}` -> labels and what follows the closing brace.
    private static func labels(_ text: Substring) -> ([String: String], Substring)? {
        var labels: [String: String] = [:]
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "}" { return (labels, text[text.index(after: index)...]) }
            if character == "," || character == " " { index = text.index(after: index); continue }
            guard let equals = text[index...].firstIndex(of: "="), text.index(after: equals) < text.endIndex,
                  text[text.index(after: equals)] == "\"" else { return nil }
            let key = String(text[index..<equals])
            var value = ""
            var cursor = text.index(equals, offsetBy: 2)
            var closed = false
            while cursor < text.endIndex {
                let next = text[cursor]
                if next == "\\", text.index(after: cursor) < text.endIndex {
                    cursor = text.index(after: cursor)
                    switch text[cursor] {
                    case "n": value.append("\n")
                    default: value.append(text[cursor])
                    }
                } else if next == "\"" {
                    closed = true
                    break
                } else {
                    value.append(next)
                }
                cursor = text.index(after: cursor)
            }
            guard closed else { return nil }
            labels[key] = value
            index = text.index(after: cursor)
        }
        return nil
    }

    private static func number(_ text: Substring) -> Double? {
        switch text {
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default: return Double(text)
        }
    }
}

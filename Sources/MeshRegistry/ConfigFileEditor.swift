/// Edits one YAML document of a multi-document config file, leaving every other
/// document byte for byte as it was (comments included). Documents are split on
/// `---` lines; chunks holding only blank lines and comments are not documents,
/// as the YAML parser does not count them either.
public enum ConfigFileEditor {
    /// The line ranges of each document, in order (1-based `documentIndex` is
    /// `documents(...)[documentIndex - 1]`).
    public static func documents(_ text: String) -> [Range<Int>] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var result: [Range<Int>] = []
        var start = 0
        func close(_ end: Int) {
            let hasContent = lines[start..<end].contains { line in
                let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == "\r" }
                return !trimmed.isEmpty && trimmed.first != "#" && !trimmed.hasPrefix("...")
            }
            if hasContent { result.append(start..<end) }
        }
        for (index, line) in lines.enumerated() where line == "---" || line.hasPrefix("--- ") {
            close(index)
            start = index + 1
        }
        close(lines.count)
        return result
    }

    /// The text of document `documentIndex` (1-based).
    public static func document(_ documentIndex: Int, in text: String) -> String? {
        let ranges = documents(text)
        guard ranges.indices.contains(documentIndex - 1) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return lines[ranges[documentIndex - 1]].joined(separator: "\n")
    }

    /// The file with document `documentIndex` replaced by `replacement` (nil: removed).
    public static func replacing(_ documentIndex: Int, in text: String, with replacement: String?) -> String? {
        let ranges = documents(text)
        guard ranges.indices.contains(documentIndex - 1) else { return nil }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let range = ranges[documentIndex - 1]
        if let replacement {
            var body = replacement
            while body.hasSuffix("\n") { body.removeLast() }
            lines.replaceSubrange(range, with: body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        } else {
            // Drop the document and the separator line before it (or after it, for the first).
            var lower = range.lowerBound
            var upper = range.upperBound
            if lower > 0 { lower -= 1 } else if upper < lines.count { upper += 1 }
            lines.removeSubrange(lower..<upper)
        }
        return lines.joined(separator: "\n")
    }
}

extension StringProtocol {
    /// Without leading and trailing whitespace and newlines (PEM and token files);
    /// Foundation's trimmingCharacters is not in FoundationEssentials.
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}

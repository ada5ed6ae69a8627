extension ParsedDocument {
    /// `kind: List` (what `kubectl get -o yaml` prints for several objects) stands for
    /// its `items`: each becomes a document of its own, with the List's index.
    public func expandingLists() -> [ParsedDocument] {
        guard root["kind"]?.string == "List", root["apiVersion"]?.string == "v1", let items = root["items"]?.items else {
            return [self]
        }
        return items.map { ParsedDocument(source: source, index: index, root: $0) }
    }
}

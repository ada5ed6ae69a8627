/// One document of a multi-document YAML stream (or one JSON value).
public struct ParsedDocument: Sendable {
    /// The file (or `<stdin>`) it came from.
    public var source: String
    /// 1-based position of the document in its file.
    public var index: Int
    public var root: ConfigNode

    public init(source: String, index: Int, root: ConfigNode) {
        self.source = source
        self.index = index
        self.root = root
    }
}

/// Everything read from one input: the documents before any failure, and the failure.
/// Documents before a syntax error are kept: nothing valid is lost.
public struct ParsedSource: Sendable {
    public var source: String
    public var documents: [ParsedDocument]
    public var failure: ParseFailure?

    public init(source: String, documents: [ParsedDocument], failure: ParseFailure?) {
        self.source = source
        self.documents = documents
        self.failure = failure
    }
}

import Testing
@testable import MeshRegistry

/// One document of a multi-document file is replaced or removed; the others stay
/// byte for byte, comments included.
struct ConfigFileEditorTests {
    let file = """
    # shop routing
    apiVersion: networking.istio.io/v1
    kind: VirtualService
    metadata: {name: a}
    ---
    # only a comment: not a document
    ---
    kind: DestinationRule   # keep me
    metadata: {name: b}
    ---
    kind: Gateway
    metadata: {name: c}
    """

    @Test func documentsSkipCommentOnlyChunks() {
        #expect(ConfigFileEditor.documents(file).count == 3)
        #expect(ConfigFileEditor.document(2, in: file) == "kind: DestinationRule   # keep me\nmetadata: {name: b}")
        #expect(ConfigFileEditor.document(4, in: file) == nil)
    }

    @Test func replacingKeepsTheOtherDocuments() throws {
        let edited = try #require(ConfigFileEditor.replacing(2, in: file, with: "kind: DestinationRule\nmetadata: {name: b2}\n"))
        #expect(edited.contains("# shop routing\napiVersion: networking.istio.io/v1"))
        #expect(edited.contains("---\nkind: DestinationRule\nmetadata: {name: b2}\n---\nkind: Gateway"))
        #expect(!edited.contains("keep me"))
        #expect(ConfigFileEditor.documents(edited).count == 3)
    }

    @Test func removingDropsTheDocumentAndOneSeparator() throws {
        let middle = try #require(ConfigFileEditor.replacing(2, in: file, with: nil))
        #expect(ConfigFileEditor.documents(middle).count == 2)
        #expect(!middle.contains("DestinationRule"))
        let first = try #require(ConfigFileEditor.replacing(1, in: file, with: nil))
        #expect(ConfigFileEditor.document(1, in: first)?.contains("DestinationRule") == true)
        #expect(!first.contains("VirtualService"))
    }
}

import MeshCore

enum GoDurationBridge {
    static func parse(_ text: String) throws -> Int64 { try GoDuration.parse(text) }
}

import NIOCore
import ProxyCore

extension HeaderMutation {
    /// Writes the additions as header lines, honouring add-if-absent and
    /// overwrite-if-exists against the names `present` reports in the message.
    /// A `server` addition is left out when the connection manager overwrites
    /// `server` (`serverOverwritten`: Envoy's OVERWRITE replaces it after the
    /// router); returns whether one was written.
    @discardableResult
    func writeAdditions(into buffer: inout ByteBuffer, present: ([UInt8]) -> Bool, serverOverwritten: Bool = false) -> Bool {
        var wroteServer = false
        for addition in additions {
            switch addition.action {
            case .addIfAbsent where present(addition.name): continue
            case .overwriteIfExists where !present(addition.name): continue
            default: break
            }
            if addition.name == Self.server {
                if serverOverwritten { continue }
                wroteServer = true
            }
            buffer.writeBytes(addition.name)
            buffer.writeStaticString(": ")
            buffer.writeBytes(addition.value)
            buffer.writeStaticString("\r\n")
        }
        return wroteServer
    }

    private static let server = Array("server".utf8)
}

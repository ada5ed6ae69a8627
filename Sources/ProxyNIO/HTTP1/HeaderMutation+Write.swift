import NIOCore
import ProxyCore

extension HeaderMutation {
    /// Writes the additions as header lines, honouring add-if-absent and
    /// overwrite-if-exists against the names `present` reports in the message.
    func writeAdditions(into buffer: inout ByteBuffer, present: ([UInt8]) -> Bool) {
        for addition in additions {
            switch addition.action {
            case .addIfAbsent where present(addition.name): continue
            case .overwriteIfExists where !present(addition.name): continue
            default: break
            }
            buffer.writeBytes(addition.name)
            buffer.writeStaticString(": ")
            buffer.writeBytes(addition.value)
            buffer.writeStaticString("\r\n")
        }
    }
}

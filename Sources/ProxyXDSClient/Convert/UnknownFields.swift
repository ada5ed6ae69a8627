import SwiftProtobuf

/// Fields our proto subset does not declare arrive as unknown fields; for
/// authorization config they could loosen or tighten a policy, so they are
/// refused by number rather than ignored.
enum UnknownFields {
    /// The field numbers present in `message`'s unknown fields, in order.
    static func numbers(_ message: some SwiftProtobuf.Message) -> [Int] {
        let data = Array(message.unknownFields.data)
        var numbers: [Int] = []
        var index = 0
        while index < data.count {
            guard let tag = varint(data, &index) else { break }
            numbers.append(Int(tag >> 3))
            switch tag & 7 {
            case 0: _ = varint(data, &index)
            case 1: index += 8
            case 2:
                guard let length = varint(data, &index) else { return numbers }
                index += Int(length)
            case 5: index += 4
            default: return numbers
            }
        }
        return numbers
    }

    static func refuse(_ message: some SwiftProtobuf.Message, _ scope: ConversionScope, names: [Int: String] = [:]) throws(XDSConversionError) {
        guard let number = numbers(message).first else { return }
        let name = names[number] ?? "field \(number)"
        throw scope.child(name).unsupported("\(type(of: message).protoMessageName).\(name)")
    }

    private static func varint(_ data: [UInt8], _ index: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < data.count, shift < 64 {
            let byte = data[index]
            index += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }
}

/// The slice of protobuf's wire format that Istio's metadata exchange needs: a
/// `google.protobuf.Struct` whose values are strings or nested structs (NAME,
/// NAMESPACE, LABELS{...}, ...). Encoding is deterministic (keys sorted), as
/// Istio's `serializeToStringDeterministic`; decoding skips other value kinds.
public enum ProtobufStructCodec {
    public indirect enum Value: Equatable, Sendable {
        case string(String)
        case structValue([String: Value])
        /// Numbers, bools, lists, nulls: kept only as "present".
        case other
    }

    public static func encode(_ fields: [String: Value]) -> [UInt8] {
        var out: [UInt8] = []
        for key in fields.keys.sorted() {
            var entry: [UInt8] = []
            appendField(1, bytes: Array(key.utf8), to: &entry)
            appendField(2, bytes: encodeValue(fields[key]!), to: &entry)
            appendField(1, bytes: entry, to: &out)
        }
        return out
    }

    private static func encodeValue(_ value: Value) -> [UInt8] {
        var out: [UInt8] = []
        switch value {
        case .string(let text): appendField(3, bytes: Array(text.utf8), to: &out)
        case .structValue(let fields): appendField(5, bytes: encode(fields), to: &out)
        case .other: break
        }
        return out
    }

    private static func appendField(_ number: UInt64, bytes: [UInt8], to out: inout [UInt8]) {
        appendVarint(number << 3 | 2, to: &out)
        appendVarint(UInt64(bytes.count), to: &out)
        out.append(contentsOf: bytes)
    }

    private static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    /// nil when the bytes are not a well-formed Struct.
    public static func decode(_ bytes: [UInt8]) -> [String: Value]? {
        var reader = Reader(bytes: bytes, position: 0, end: bytes.count)
        return decodeStruct(&reader)
    }

    private struct Reader {
        let bytes: [UInt8]
        var position: Int
        var end: Int

        mutating func varint() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while position < end, shift < 64 {
                let byte = bytes[position]
                position += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return result }
                shift += 7
            }
            return nil
        }

        /// A length-delimited field's bounds, or nil.
        mutating func delimited() -> Range<Int>? {
            guard let length = varint(), length <= UInt64(end - position) else { return nil }
            let range = position..<(position + Int(length))
            position = range.upperBound
            return range
        }

        /// Skips a field of `wireType`; false when malformed.
        mutating func skip(_ wireType: UInt64) -> Bool {
            switch wireType {
            case 0: return varint() != nil
            case 1: guard end - position >= 8 else { return false }; position += 8; return true
            case 2: return delimited() != nil
            case 5: guard end - position >= 4 else { return false }; position += 4; return true
            default: return false
            }
        }

        func sub(_ range: Range<Int>) -> Reader { Reader(bytes: bytes, position: range.lowerBound, end: range.upperBound) }
    }

    private static func decodeStruct(_ reader: inout Reader) -> [String: Value]? {
        var fields: [String: Value] = [:]
        while reader.position < reader.end {
            guard let tag = reader.varint() else { return nil }
            guard tag >> 3 == 1, tag & 7 == 2 else {
                guard reader.skip(tag & 7) else { return nil }
                continue
            }
            guard let range = reader.delimited() else { return nil }
            var entry = reader.sub(range)
            var key = ""
            var value = Value.other
            while entry.position < entry.end {
                guard let entryTag = entry.varint() else { return nil }
                switch (entryTag >> 3, entryTag & 7) {
                case (1, 2):
                    guard let keyRange = entry.delimited() else { return nil }
                    key = String(decoding: entry.bytes[keyRange], as: UTF8.self)
                case (2, 2):
                    guard let valueRange = entry.delimited() else { return nil }
                    var valueReader = entry.sub(valueRange)
                    guard let decoded = decodeValue(&valueReader) else { return nil }
                    value = decoded
                default:
                    guard entry.skip(entryTag & 7) else { return nil }
                }
            }
            fields[key] = value
        }
        return fields
    }

    private static func decodeValue(_ reader: inout Reader) -> Value? {
        var value = Value.other
        while reader.position < reader.end {
            guard let tag = reader.varint() else { return nil }
            switch (tag >> 3, tag & 7) {
            case (3, 2):
                guard let range = reader.delimited() else { return nil }
                value = .string(String(decoding: reader.bytes[range], as: UTF8.self))
            case (5, 2):
                guard let range = reader.delimited() else { return nil }
                var nested = reader.sub(range)
                guard let fields = decodeStruct(&nested) else { return nil }
                value = .structValue(fields)
            default:
                guard reader.skip(tag & 7) else { return nil }
            }
        }
        return value
    }
}

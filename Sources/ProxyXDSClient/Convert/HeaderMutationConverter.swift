import ProxyCore
import XDSAPI

/// `*_headers_to_add` / `*_headers_to_remove` -> HeaderMutation. Values are
/// literal: Envoy's `%VARIABLE%` formatters are refused until the proxy has them.
enum HeaderMutationConverter {
    static func convert(add: [Envoy_Config_Core_V3_HeaderValueOption], remove: [String], _ scope: ConversionScope,
                        addField: String, removeField: String) throws(XDSConversionError) -> HeaderMutation {
        var additions: [HeaderMutation.Addition] = []
        for (index, option) in add.enumerated() {
            let optionScope = scope.index(addField, index)
            let header = option.header
            guard !header.key.isEmpty else { throw optionScope.child("header.key").error("header name is empty") }
            if header.value.hasEnvoyFormatter {
                throw optionScope.child("header.value").unsupported("header value formatting (%VARIABLE%)")
            }
            let action: HeaderMutation.AppendAction
            if option.hasAppend {
                action = option.append.value ? .appendIfExistsOrAdd : .overwriteIfExistsOrAdd
            } else {
                switch option.appendAction {
                case .appendIfExistsOrAdd: action = .appendIfExistsOrAdd
                case .addIfAbsent: action = .addIfAbsent
                case .overwriteIfExistsOrAdd: action = .overwriteIfExistsOrAdd
                case .overwriteIfExists: action = .overwriteIfExists
                case .UNRECOGNIZED(let value): throw optionScope.child("append_action").error("unknown value \(value)")
                }
            }
            additions.append(HeaderMutation.Addition(name: header.key, value: header.value.replacingDoublePercent, action: action))
        }
        for (index, name) in remove.enumerated() where name.isEmpty {
            throw scope.index(removeField, index).error("header name is empty")
        }
        return HeaderMutation(additions: additions, removals: remove)
    }
}

extension String {
    /// Whether the value uses Envoy's `%VARIABLE%` formatting (`%%` is a literal %).
    var hasEnvoyFormatter: Bool {
        var iterator = makeIterator()
        while let character = iterator.next() {
            if character == "%" {
                guard iterator.next() == "%" else { return true }
            }
        }
        return false
    }

    var replacingDoublePercent: String {
        var result = ""
        var previousPercent = false
        for character in self {
            if character == "%" && previousPercent {
                previousPercent = false
                continue
            }
            previousPercent = character == "%"
            result.append(character)
        }
        return result
    }
}

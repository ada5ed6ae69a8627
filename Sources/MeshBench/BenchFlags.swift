/// A bench command's flags: `--name VALUE` options and bare switches. Anything
/// else is an error naming it, so a typo never runs a long benchmark with defaults.
struct BenchFlags {
    private(set) var values: [String: String] = [:]
    private(set) var switches: Set<String> = []

    init(_ arguments: [String], values known: Set<String>, switches knownSwitches: Set<String> = []) throws {
        var index = 0
        while index < arguments.count {
            let flag = arguments[index]
            if knownSwitches.contains(flag) {
                switches.insert(flag)
            } else if known.contains(flag) {
                guard index + 1 < arguments.count else { throw BenchError("\(flag) needs a value") }
                values[flag] = arguments[index + 1]
                index += 1
            } else {
                let accepted = (known.union(knownSwitches)).sorted().joined(separator: ", ")
                throw BenchError("unknown argument '\(flag)' (this command takes \(accepted.isEmpty ? "no flags" : accepted))")
            }
            index += 1
        }
    }

    /// A whole positive number, or nil when the flag is absent.
    func integer(_ flag: String) throws -> Int? {
        guard let text = values[flag] else { return nil }
        guard let value = Int(text), value > 0 else { throw BenchError("\(flag) must be a positive whole number, not '\(text)'") }
        return value
    }
}

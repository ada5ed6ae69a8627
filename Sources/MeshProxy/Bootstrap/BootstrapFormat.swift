/// How a bootstrap (or `--resources`) file is read, chosen by its name exactly as
/// Envoy chooses (`MessageUtil::loadFromFile`): a name ending in `.yaml` or `.yml`,
/// in any case, is YAML; `.pb` and `.pb_text` are binary and text protobuf, which
/// this proxy does not read; any other name is JSON. Content is never sniffed, so a
/// file that starts Envoy is read the same way here.
public enum BootstrapFormat: Sendable, Equatable {
    case json
    case yaml

    public init(path: String) throws(BootstrapError) {
        let name = path.lowercased()
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            self = .yaml
        } else if name.hasSuffix(".pb") || name.hasSuffix(".pb_text") {
            throw BootstrapError(field: "(document)", reason: "binary and text protobuf bootstraps (.pb, .pb_text) are not supported; write it as .json or .yaml", source: path)
        } else {
            self = .json
        }
    }
}

/// Whose reading of YAML a document gets. Istio and Kubernetes objects follow
/// Kubernetes' reader; an Envoy bootstrap follows Envoy's (yaml-cpp turned into
/// protobuf JSON), so one file means the same thing to stock Envoy and to us.
public enum YAMLDialect: Sendable {
    /// YAML 1.1 plain scalars: integers, floats, booleans, null.
    case kubernetes
    /// Envoy's rules: plain integers, booleans and null resolve as above, but a
    /// plain scalar that is only a float (`1.5`, `1e3`, `.inf`), or an integer
    /// written with `_` or too large for 64 bits, stays the text it was written as
    /// (protobuf's JSON parser converts it for the field's type, as in Envoy). A
    /// mapping key tagged `!ignore` is dropped with its value: Envoy users keep
    /// anchors there.
    case envoy
}

import MeshCore
import Testing
@testable import MeshValidation

/// Asserts the case is rejected with an error at its path (and message fragment).
func expectRejected(_ testCase: ValidationCase, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let report = testCase.validate()
    let errors = report.errors
    let rendered = report.diagnostics.map { report.formatted($0) }.joined(separator: "\n")
    #expect(!errors.isEmpty, "expected an error, got none:\n\(testCase.yaml)\n\(rendered)", sourceLocation: sourceLocation)
    guard let path = testCase.path else { return }
    let atPath = errors.filter { $0.path.description == path }
    #expect(!atPath.isEmpty, "no error at \(path); got:\n\(rendered)", sourceLocation: sourceLocation)
    if let fragment = testCase.message {
        #expect(atPath.contains { $0.message.contains(fragment) }, "no error at \(path) mentions \"\(fragment)\"; got:\n\(rendered)", sourceLocation: sourceLocation)
    }
    #expect(report.object == nil, "an invalid object must not produce a typed object", sourceLocation: sourceLocation)
}

/// Asserts the case is accepted (warnings allowed) and decoded.
func expectAccepted(_ testCase: ValidationCase, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let report = testCase.validate()
    let rendered = report.diagnostics.map { report.formatted($0) }.joined(separator: "\n")
    #expect(report.errors.isEmpty, "expected no errors:\n\(rendered)\n\(testCase.yaml)", sourceLocation: sourceLocation)
    #expect(report.object != nil, "a valid object must decode", sourceLocation: sourceLocation)
}

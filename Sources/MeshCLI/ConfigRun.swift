import MeshConfig
import MeshValidation

/// Reads and validates the inputs named on a command line.
struct ConfigRun {
    var reports: [ObjectReport] = []
    /// Unreadable files and syntax errors, one line each.
    var inputErrorLines: [String] = []

    static func validate(paths: [String]) -> ConfigRun {
        var run = ConfigRun()
        let (inputs, readErrors) = ConfigInputReader.read(paths: paths)
        run.inputErrorLines = readErrors.map(\.description)
        let validator = ConfigValidator()
        for input in inputs {
            let (reports, failure) = validator.validate(source: input.name, bytes: input.bytes)
            run.reports.append(contentsOf: reports)
            if let failure {
                run.inputErrorLines.append("\(failure.description) (document \(failure.documentIndex))")
            }
        }
        return run
    }

    var objects: [ConfigObject] { reports.compactMap(\.object) }

    /// Valid objects by identity; a later definition of the same KIND NAMESPACE/NAME
    /// replaces the earlier one (as applying the files in order would).
    var latestObjects: (objects: [ConfigObject], replaced: [String]) {
        var index: [String: Int] = [:]
        var result: [ConfigObject] = []
        var replaced: [String] = []
        for object in objects {
            let key = object.displayName
            if let existing = index[key] {
                replaced.append("\(object.source?.description ?? "") \(key) replaces the definition in \(result[existing].source?.description ?? "")")
                result[existing] = object
            } else {
                index[key] = result.count
                result.append(object)
            }
        }
        return (result, replaced)
    }
}

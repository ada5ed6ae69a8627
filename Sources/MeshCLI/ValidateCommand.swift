import ArgumentParser
import MeshConfig
import MeshValidation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check Istio and Kubernetes config files the way Istio's validating webhook does.",
        discussion: """
        Reads YAML or JSON (multi-document), from files, directories (recursively: .yaml,
        .yml, .json) or stdin (-). Every error of every object is listed as
          FILE:DOC KIND NAMESPACE/NAME: field.path: message (line L, column C)
        where DOC is the 1-based document index in FILE. Warnings are marked "warning:".
        Unknown kinds are skipped with a warning.

        Exit status: 0 all valid (warnings allowed), 1 some object is invalid,
        2 some input could not be read or parsed.
        """
    )

    @Option(name: [.customShort("f"), .customLong("filename")], help: ArgumentHelp("A file, a directory or - for stdin. Repeatable.", valueName: "path"))
    var paths: [String] = []

    @Flag(name: .long, help: "Print only errors, not warnings.")
    var quiet = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one -f PATH (a file, a directory, or - for stdin)") }
    }

    func run() throws {
        let result = ConfigRun.validate(paths: paths)
        var output = StandardStreams()
        for line in result.inputErrorLines { output.error(line) }
        var invalid = 0, valid = 0, skipped = 0, warnings = 0
        for report in result.reports {
            for diagnostic in report.diagnostics where !(quiet && !diagnostic.isError) {
                output.print(report.formatted(diagnostic))
            }
            warnings += report.warnings.count
            if report.skipped { skipped += 1 } else if report.hasErrors { invalid += 1 } else { valid += 1 }
        }
        output.error("\(valid) valid, \(invalid) invalid, \(skipped) skipped, \(warnings) warning\(warnings == 1 ? "" : "s")\(result.inputErrorLines.isEmpty ? "" : ", \(result.inputErrorLines.count) unreadable input\(result.inputErrorLines.count == 1 ? "" : "s")")")
        if !result.inputErrorLines.isEmpty { throw ExitCode(2) }
        if invalid > 0 { throw ExitCode(1) }
    }
}

import ArgumentParser
import MeshConfig
import MeshValidation

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Find problems across objects (Istio's analyzer messages and codes).",
        discussion: """
        Validates the inputs, then checks how the valid objects fit together: routes to
        unknown hosts, subsets or gateways, conflicting VirtualServices, gateway ports the
        gateway's Service does not expose, unreachable routes, and more. Output lines read
          Error [IST0101] (VirtualService default/reviews) Referenced host not found: "reviews2"
        Exit status: 0 when there are no errors, 1 when the analysis found errors,
        2 when some input could not be read or parsed.
        """
    )

    @Option(name: [.customShort("f"), .customLong("filename")], help: ArgumentHelp("A file, a directory or - for stdin. Repeatable.", valueName: "path"))
    var paths: [String] = []

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one -f PATH (a file, a directory, or - for stdin)") }
    }

    func run() throws {
        let result = ConfigRun.validate(paths: paths)
        var output = StandardStreams()
        for line in result.inputErrorLines { output.error(line) }
        var errors = 0
        for report in result.reports where report.hasErrors {
            for diagnostic in report.errors {
                output.print("Error [IST0106] (\(report.objectName) \(report.source):\(diagnostic.location?.line ?? 0)) Schema validation error: \(diagnostic.description)")
                errors += 1
            }
        }
        let (objects, replaced) = result.latestObjects
        for line in replaced { output.error("note: \(line)") }
        let messages = MeshAnalyzer().analyze(objects)
        for message in messages {
            output.print(message.formatted)
            if message.level == .error { errors += 1 }
        }
        if messages.isEmpty && errors == 0 {
            output.error("\u{2714} No validation issues found when analyzing \(paths.joined(separator: ", ")).")
        }
        if !result.inputErrorLines.isEmpty { throw ExitCode(2) }
        if errors > 0 { throw ExitCode(1) }
    }
}

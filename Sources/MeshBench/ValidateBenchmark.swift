import MeshConfig
import MeshValidation

/// Parses and validates N generated objects (a mix of the kinds users write most),
/// as one multi-document YAML stream, and prints objects per second.
struct ValidateBenchmark {
    let objects: Int
    let rounds: Int

    func run() {
        let yaml = ObjectGenerator.stream(count: objects)
        let bytes = Array(yaml.utf8)
        let validator = ConfigValidator()
        // Warm up: schema catalogue, regex caches.
        _ = validator.validate(source: "warmup.yaml", bytes: Array(ObjectGenerator.stream(count: 50).utf8))
        print("validate: \(objects) objects, \(bytes.count / 1024) KiB of YAML, \(rounds) rounds")
        let clock = ContinuousClock()
        var best = Duration.seconds(1_000_000)
        var total = Duration.zero
        for round in 1...rounds {
            let start = clock.now
            let (reports, failure) = validator.validate(source: "bench.yaml", bytes: bytes)
            let elapsed = clock.now - start
            precondition(failure == nil && reports.count == objects, "generator produced bad YAML: \(String(describing: failure))")
            let invalid = reports.filter(\.hasErrors).count
            precondition(invalid == 0, "generated objects must be valid; \(invalid) were not: \(reports.first(where: \.hasErrors).map { $0.errors.map { "\($0)" } } ?? [])")
            best = min(best, elapsed)
            total += elapsed
            print("  round \(round): \(format(elapsed)) -> \(Int(Double(objects) / seconds(elapsed))) objects/s")
        }
        // Where the time goes: parsing alone, then validation of parsed documents.
        let parseStart = clock.now
        let parsed = DocumentParser.parse(bytes, source: "bench.yaml")
        let parseTime = clock.now - parseStart
        let checkStart = clock.now
        for document in parsed.documents { _ = validator.validate(document) }
        let checkTime = clock.now - checkStart
        print("  phases: parse \(format(parseTime)), validate \(format(checkTime))")
        let mean = total / rounds
        print("best \(Int(Double(objects) / seconds(best))) objects/s, mean \(Int(Double(objects) / seconds(mean))) objects/s (parse + schema + semantic checks)")
        print("target: > 20000 objects/s")
    }

    func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    func format(_ duration: Duration) -> String {
        let ms = seconds(duration) * 1000
        return "\(Int(ms)) ms"
    }
}

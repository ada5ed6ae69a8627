import ArgumentParser
import Foundation
import MeshCA

struct CACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca",
        abstract: "Operate the mesh CA's directory: rotate the root, issue a workload token.",
        subcommands: [RotateRoot.self, Token.self]
    )

    struct RotateRoot: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-root",
            abstract: "Replace the self-signed root with overlap, while the control plane runs.",
            discussion: """
            Step 1 adds a new root to root-cert.pem (the control plane reloads it; agents
            re-read it within seconds and trust both roots). After --overlap, step 2 makes
            the new root sign (ca-cert.pem, ca-key.pem, cert-chain.pem); workloads move to it
            at their next renewal. Old roots stay in root-cert.pem while they are valid.
              swiftmesh ca rotate-root --ca-dir run/ca
            """
        )

        @Option(name: .customLong("ca-dir"), help: ArgumentHelp("The control plane's --ca-dir.", valueName: "dir"))
        var caDir: String

        @Option(help: ArgumentHelp("Time between trusting the new root and signing with it (Go duration).", valueName: "duration"))
        var overlap = "10s"

        @Option(name: .customLong("key-algorithm"), help: "ECDSA (P-256) or RSA (2048).")
        var keyAlgorithm = "ECDSA"

        func run() throws {
            let pause = try DurationOption.parse(overlap, name: "--overlap")
            guard let algorithm = CAKeyAlgorithm(rawValue: keyAlgorithm.uppercased()) else { throw ValidationError("--key-algorithm must be ECDSA or RSA") }
            let directory = CADirectory(path: caDir)
            do {
                let current = try directory.load(options: .init())
                let next = try CertificateAuthority.selfSigned(options: current.options, algorithm: algorithm)
                try directory.save(try current.trusting(next.root))
                print("step 1: \(next.root.subject) added to \(directory.file(CADirectory.rootCert)); waiting \(overlap)")
                Thread.sleep(forTimeInterval: Double(pause) / 1e9)
                try directory.save(try current.trusting(next.root).handingOver(to: next))
                print("step 2: \(next.root.subject) signs from now on; \(try directory.load(options: .init()).trustBundle.count) roots trusted")
            } catch {
                throw ValidationError("\(error)")
            }
        }
    }

    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token",
            abstract: "Print a bootstrap token for a workload (what --workload-tokens writes), signed with the CA directory's token key."
        )

        @Option(name: .customLong("ca-dir"), help: ArgumentHelp("The control plane's --ca-dir.", valueName: "dir"))
        var caDir: String

        @Option(help: "The workload's namespace.")
        var namespace: String

        @Option(name: .customLong("service-account"), help: "The workload's service account.")
        var serviceAccount = "default"

        @Option(help: ArgumentHelp("Lifetime (Go duration).", valueName: "duration"))
        var ttl = "24h"

        func run() throws {
            let lifetime = try DurationOption.parse(ttl, name: "--ttl")
            let issuer = try BootstrapTokenIssuer.loadOrCreate(in: CADirectory(path: caDir))
            print(try issuer.token(namespace: namespace, serviceAccount: serviceAccount, ttl: .nanoseconds(lifetime)))
        }
    }
}

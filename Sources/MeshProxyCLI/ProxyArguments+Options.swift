import ArgumentParser
import MeshCore
import MeshProxy

extension ProxyArguments {
    /// The options the arguments ask for; a ValidationError names the flag that is wrong.
    public func proxyOptions() throws -> ProxyOptions {
        guard let level = ProxyLog.Level(name: logLevel) else {
            throw ValidationError("--log-level must be one of \(ProxyLog.Level.allCases.map(\.name).joined(separator: ", "))")
        }
        ProxyLog.setLevel(level)
        guard configPath != nil || resources != nil || xdsAddress != nil else {
            throw ValidationError("give -c BOOTSTRAP, --resources FILE and/or --xds-address ADDR:PORT")
        }
        var options = ProxyOptions(bootstrapPath: configPath, resourcesPath: resources, concurrency: concurrency)
        if let xdsAddress {
            let (host, port) = try Self.hostPort(xdsAddress, flag: "--xds-address")
            options.xdsHost = host
            options.xdsPort = port
            options.nodeID = node
            options.nodeMetadataJSON = metadata
        }
        let listeners: [(String?, String, WritableKeyPath<ProxyOptions, String?>, WritableKeyPath<ProxyOptions, Int?>)] = [
            (adminAddress, "--admin-address", \.adminHost, \.adminPort),
            (prometheusAddress, "--prometheus-address", \.prometheusHost, \.prometheusPort),
            (healthAddress, "--health-address", \.healthHost, \.healthPort),
        ]
        for case let (text?, flag, hostField, portField) in listeners {
            let (host, port) = try Self.hostPort(text, flag: flag, brackets: true)
            options[keyPath: hostField] = host
            options[keyPath: portField] = port
        }
        options.agent = try agentOptions()
        guard let plane = ProxyOptions.DataPlane(rawValue: dataPlane) else { throw ValidationError("--data-plane must be swift or envoy") }
        options.dataPlane = plane
        options.runDirectory = runDir
        options.workloadCertificatesDirectory = workloadCerts
        return options
    }

    func agentOptions() throws -> ProxyOptions.AgentOptions? {
        guard caRoot != nil || tokenFile != nil else { return nil }
        var agent = ProxyOptions.AgentOptions()
        agent.caRootPath = caRoot
        agent.tokenPath = tokenFile
        agent.trustDomain = trustDomain
        agent.serviceAccount = serviceAccount
        if let caAddress {
            let (host, port) = try Self.hostPort(caAddress, flag: "--ca-address")
            agent.caHost = host
            agent.caPort = port
        }
        if let workloadCertTTL {
            do {
                agent.validitySeconds = max(1, try GoDuration.parse(workloadCertTTL) / 1_000_000_000)
            } catch {
                throw ValidationError("--workload-cert-ttl: \(error)")
            }
        }
        switch workloadKey.uppercased() {
        case "ECDSA": agent.rsaKey = false
        case "RSA": agent.rsaKey = true
        default: throw ValidationError("--workload-key must be ECDSA or RSA")
        }
        return agent
    }

    /// `HOST:PORT` (the last colon splits, so IPv6 hosts work; `brackets` strips `[...]`).
    static func hostPort(_ text: String, flag: String, brackets: Bool = false) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else {
            throw ValidationError("\(flag) must be ADDR:PORT")
        }
        var host = text[..<colon]
        if brackets {
            while host.first == "[" || host.first == "]" { host = host.dropFirst() }
            while host.last == "[" || host.last == "]" { host = host.dropLast() }
        }
        return (String(host), port)
    }
}

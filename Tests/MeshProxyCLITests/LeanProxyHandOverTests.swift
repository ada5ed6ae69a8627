#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import MeshProxyCLI

@Suite struct LeanProxyHandOverTests {
    @Test func forwardsEverythingAfterTheSubcommand() {
        #expect(LeanProxyHandOver.forwardedArguments(["/bin/swiftmesh", "proxy", "-c", "b.yaml", "--concurrency", "2"])
            == ["-c", "b.yaml", "--concurrency", "2"])
        #expect(LeanProxyHandOver.forwardedArguments(["swiftmesh", "proxy"]) == [])
    }

    @Test func aValueNamedProxyAfterTheSubcommandIsForwarded() {
        #expect(LeanProxyHandOver.forwardedArguments(["swiftmesh", "proxy", "--node", "proxy"]) == ["--node", "proxy"])
    }

    @Test func withoutTheSubcommandNothingIsHandedOver() {
        #expect(LeanProxyHandOver.forwardedArguments(["swiftmesh", "generate", "--config", "x"]) == nil)
        // argv[0] itself never counts, even when the executable is called "proxy".
        #expect(LeanProxyHandOver.forwardedArguments(["proxy", "-c", "b.json"]) == nil)
    }

    @Test func theOptOutVariableKeepsTheProxyInProcess() {
        setenv(LeanProxyHandOver.disableVariable, "1", 1)
        defer { unsetenv(LeanProxyHandOver.disableVariable) }
        #expect(LeanProxyHandOver.leanExecutable() == nil)
    }

    @Test func aLeanExecutableFromAnOlderBuildIsNotUsed() {
        #expect(LeanProxyHandOver.isCurrent(leanModified: 1_000, selfModified: 1_000))
        #expect(LeanProxyHandOver.isCurrent(leanModified: 1_100, selfModified: 1_000))
        // Linked a few minutes apart within one build.
        #expect(LeanProxyHandOver.isCurrent(leanModified: 1_000, selfModified: 1_300))
        // `swift run swiftmesh` an hour after the last full build relinked only swiftmesh.
        #expect(!LeanProxyHandOver.isCurrent(leanModified: 1_000, selfModified: 4_600))
    }
}

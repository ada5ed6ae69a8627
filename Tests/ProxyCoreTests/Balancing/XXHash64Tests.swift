import Testing
@testable import ProxyCore

/// Expected values come from the reference xxHash library (libxxhash 0.8).
@Suite struct XXHash64Tests {
    @Test(arguments: [
        ("", UInt64(0), UInt64(0xEF46_DB37_51D8_E999)),
        ("a", 0, 0xD24E_C4F1_A98C_6E5B),
        ("abc", 0, 0x44BC_2CF5_AD77_0999),
        ("Nobody inspects the spammish repetition", 0, 0xFBCE_A83C_8A37_8BF1),
        ("xxhash", 20_141_025, 0xB559_B98D_844E_0635),
        ("10.0.0.1:80_0", 0, 0x7504_1381_E737_1A08),
        ("0123456789abcdef0123456789abcdef!", 7, 0xC1EF_D54A_62EF_942F),
        ("10.0.0.1:80", 1, 0xA456_919B_CBFF_AA92),
    ])
    func knownVectors(input: String, seed: UInt64, expected: UInt64) {
        #expect(XXHash64.hash(input, seed: seed) == expected)
        #expect(XXHash64.hash(Array(input.utf8), seed: seed) == expected)
    }

    @Test func longInput() {
        #expect(XXHash64.hash(String(repeating: "x", count: 100)) == 0x92F0_DE5A_88A3_C094)
    }

    @Test func streamingMatchesOneShotAtEverySplit() {
        let text = "Nobody inspects the spammish repetition, twice: Nobody inspects the spammish repetition"
        let bytes = Array(text.utf8)
        let expected = XXHash64.hash(text)
        for split in 0...bytes.count {
            var hasher = XXHash64.Hasher()
            hasher.update(bytes[..<split])
            hasher.update(bytes[split...])
            #expect(hasher.finalize() == expected, "split at \(split)")
        }
        var raw = XXHash64.Hasher()
        bytes.withUnsafeBytes { raw.update($0) }
        #expect(raw.finalize() == expected)
    }
}

import Testing
@testable import MeshDemoApp

@Suite struct JSONTests {
    @Test func escapesStrings() {
        let value = JSONValue.string("a\"b\\c\nd\te\u{1}f é 😀")
        #expect(value.encodedString == #""a\"b\\c\nd\te\u0001f é 😀""#)
    }

    @Test func roundTrips() throws {
        let text = #"{"s":"x\"y","n":-12.5E-3,"a":[true,false,null,{}],"o":{"k":[]}}"#
        let value = try JSONParser.parse(text)
        #expect(value.encodedString == text)
    }

    @Test func decodesEscapes() throws {
        #expect(try JSONParser.parse(#""\u00e9\ud83d\ude00\/\b""#) == .string("é😀/\u{8}"))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\"}", "01", "1.", "-", "tru", "\"\\x\"", "\"\\ud800\"", "\"a\nb\"", "1 2", "{'a':1}"])
    func rejects(text: String) {
        #expect(throws: JSONParser.ParseError.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsDeepNesting() {
        let deep = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(throws: JSONParser.ParseError.self) { try JSONParser.parse(deep) }
    }
}

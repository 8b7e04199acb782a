import MirrorPosts
import Testing

struct FrontMatterTests {
    @Test func findsFrontMatterAfterBlankLinesAndWithoutFinalNewline() throws {
        let text = "\n---\ntitle: x\nheadimg: 'a'\n---\n\nbody"
        let bytes = Array(text.utf8)
        let frontMatter = try #require(FrontMatter.locate(in: bytes))
        #expect(String(decoding: bytes[frontMatter.yamlRange], as: UTF8.self) == "title: x\nheadimg: 'a'\n")
        #expect(String(decoding: bytes[frontMatter.blockRange.upperBound...], as: UTF8.self) == "\nbody")
    }

    @Test func acceptsBOMAndCRLFAndDotsFence() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("---\r\na: 1\r\n...\r\nbody".utf8)
        let frontMatter = try #require(FrontMatter.locate(in: bytes))
        #expect(String(decoding: bytes[frontMatter.yamlRange], as: UTF8.self) == "a: 1\r\n")
    }

    @Test(arguments: ["no front matter", "text\n---\na: 1\n---\n", "---\na: 1\n", "", "\n\n"])
    func noFrontMatter(text: String) {
        #expect(FrontMatter.locate(in: Array(text.utf8)) == nil)
    }
}

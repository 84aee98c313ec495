import Testing
import HLSPlaylist

@Suite("Attribute lists")
struct AttributeListTests {
    @Test("quoted strings may contain commas and equals signs")
    func quotedCommas() throws {
        let list = try AttributeList(parsing: #"CODECS="avc1.4d401f,mp4a.40.2",URI="a=b,c.m3u8",BANDWIDTH=1000"#)
        #expect(list["CODECS"] == .quoted("avc1.4d401f,mp4a.40.2"))
        #expect(list["URI"]?.text == "a=b,c.m3u8")
        #expect(list["BANDWIDTH"] == .unquoted("1000"))
        #expect(list.attributes.map(\.name) == ["CODECS", "URI", "BANDWIDTH"])
    }

    @Test("quoted and unquoted values stay distinguishable")
    func quotedness() throws {
        let list = try AttributeList(parsing: #"CLOSED-CAPTIONS=NONE,SUBTITLES="NONE""#)
        #expect(list["CLOSED-CAPTIONS"] == .unquoted("NONE"))
        #expect(list["SUBTITLES"] == .quoted("NONE"))
    }

    @Test("lenient about spaces and a trailing comma, exact about values")
    func lenientSeparators() throws {
        let list = try AttributeList(parsing: #" A=1 , B="x y" ,C=0x1F,"#)
        #expect(list.attributes == [
            .init(name: "A", value: .unquoted("1")),
            .init(name: "B", value: .quoted("x y")),
            .init(name: "C", value: .unquoted("0x1F")),
        ])
    }

    @Test("empty list and empty quoted string")
    func empties() throws {
        #expect(try AttributeList(parsing: "").attributes.isEmpty)
        #expect(try AttributeList(parsing: #"NAME="""#)["NAME"] == .quoted(""))
        #expect(try AttributeList(parsing: "RESOLUTION=1920x1080")["RESOLUTION"]?.text == "1920x1080")
        #expect(try AttributeList(parsing: "A=1")["B"] == nil)
    }

    @Test("syntax errors", arguments: [
        "A", "=1", "a=1", "A B=1", #"A="x"#, "A=", "A=,B=1", "A=1,A=2", #"A="x"y"#, #"A=x"y""#, ",", "A=1,,B=2",
    ])
    func syntaxErrors(text: String) {
        #expect(throws: AttributeList.SyntaxError.self) { try AttributeList(parsing: text) }
    }

    @Test("errors explain themselves")
    func errorDetail() {
        #expect(throws: AttributeList.SyntaxError(detail: "unterminated quoted string in URI")) {
            try AttributeList(parsing: #"BANDWIDTH=1,URI="x.m3u8"#)
        }
        #expect(throws: AttributeList.SyntaxError(detail: "duplicate attribute BANDWIDTH")) {
            try AttributeList(parsing: "BANDWIDTH=1,BANDWIDTH=2")
        }
    }

    @Test("rendering round-trips and neutralises characters a quoted-string cannot hold")
    func rendering() throws {
        var list = AttributeList()
        list.appendUnquoted("TYPE", "AUDIO")
        list.appendQuoted("NAME", "Director's \"cut\"\nline")
        list.appendQuoted("GROUP-ID", "a,b")
        #expect(list.rendered == #"TYPE=AUDIO,NAME="Director's 'cut' line",GROUP-ID="a,b""#)
        #expect(try AttributeList(parsing: list.rendered) == list)
    }
}

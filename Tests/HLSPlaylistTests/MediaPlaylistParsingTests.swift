import Foundation
import Testing
import HLSPlaylist

@Suite("Media playlist parsing")
struct MediaPlaylistParsingTests {
    @Test("parses the golden VOD playlist into the model")
    func golden() throws {
        #expect(try MediaPlaylist(parsing: Fixtures.singleFileVODText) == Fixtures.singleFileVOD)
        #expect(try MediaPlaylist(parsing: Data(Fixtures.singleFileVODText.utf8)) == Fixtures.singleFileVOD)
    }

    @Test("CRLF, missing final newline, comments, blank lines and stray spaces are tolerated")
    func lineEndings() throws {
        let crlf = Fixtures.singleFileVODText.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try MediaPlaylist(parsing: crlf) == Fixtures.singleFileVOD)
        let noFinalNewline = String(Fixtures.growingEventText.dropLast())
        #expect(try MediaPlaylist(parsing: noFinalNewline) == Fixtures.growingEvent)
        let decorated = Fixtures.growingEventText
            .replacingOccurrences(of: "#EXTINF", with: "\n# a comment\n  #EXTINF")
            .replacingOccurrences(of: ".m4s\n", with: ".m4s  \n")
        #expect(try MediaPlaylist(parsing: decorated) == Fixtures.growingEvent)
    }

    @Test("unknown tags are kept where they were")
    func unknownTags() throws {
        let text = Fixtures.liveTS.render()
        #expect(try MediaPlaylist(parsing: text) == Fixtures.liveTS)
    }

    @Test("lenient EXTINF forms")
    func extinfForms() throws {
        let playlist = try MediaPlaylist(parsing: playlistText([
            "#EXTM3U", "#EXT-X-TARGETDURATION:10", "#EXTINF:10", "a.ts", "#EXTINF:9.5,title, with, commas", "b.ts",
        ]))
        #expect(playlist.segments.map(\.duration) == [10, 9.5])
        #expect(playlist.segments.map(\.title) == ["", "title, with, commas"])
        #expect(playlist.version == 1, "no EXT-X-VERSION means version 1")
        #expect(playlist.mediaSequence == 0)
        #expect(playlist.playlistType == nil)
        #expect(!playlist.endList)
    }

    @Test("a later EXT-X-MAP belongs to the segment it precedes")
    func mapChange() throws {
        let playlist = try MediaPlaylist(parsing: playlistText([
            "#EXTM3U", "#EXT-X-TARGETDURATION:6", "#EXT-X-MAP:URI=\"a.mp4\"", "#EXTINF:6,", "1.m4s",
            "#EXT-X-DISCONTINUITY", "#EXT-X-MAP:URI=\"b.mp4\",BYTERANGE=\"100@0\"", "#EXTINF:6,", "2.m4s",
        ]))
        #expect(playlist.map == MediaInitializationSection(uri: "a.mp4"))
        #expect(playlist.segments[0].map == nil)
        #expect(playlist.segments[1].map == MediaInitializationSection(uri: "b.mp4", byteRange: ByteRange(length: 100, offset: 0)))
        #expect(playlist.segments[1].discontinuity)
    }

    @Test("ENDLIST may appear anywhere; segments after it are still read")
    func endListAnywhere() throws {
        let playlist = try MediaPlaylist(parsing: playlistText([
            "#EXTM3U", "#EXT-X-ENDLIST", "#EXT-X-TARGETDURATION:6", "#EXTINF:6,", "1.ts",
        ]))
        #expect(playlist.endList)
        #expect(playlist.segments.count == 1)
    }

    @Test("byte ranges resolve through implicit offsets")
    func resolvedByteRanges() {
        #expect(Fixtures.singleFileVOD.resolvedByteRanges() == [1024..<51_024, 51_024..<99_024, 99_024..<119_024])
        let broken = MediaPlaylist(targetDuration: 6, segments: [
            MediaSegment(uri: "a", duration: 1, byteRange: ByteRange(length: 10)),
            MediaSegment(uri: "a", duration: 1, byteRange: ByteRange(length: 10, offset: Int.max)),
            MediaSegment(uri: "b", duration: 1),
            MediaSegment(uri: "b", duration: 1, byteRange: ByteRange(length: 5, offset: 0)),
            MediaSegment(uri: "c", duration: 1, byteRange: ByteRange(length: 5)),
        ])
        #expect(broken.resolvedByteRanges() == [nil, nil, nil, 0..<5, nil])
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var lines: [String]
        var line: Int
        var reason: PlaylistParseError.Reason
        var testDescription: String { "\(reason)" }
    }

    @Test("errors carry the line number and reason", arguments: [
        ErrorCase(lines: ["#EXT-X-TARGETDURATION:6"], line: 1, reason: .missingHeader),
        ErrorCase(lines: [""], line: 1, reason: .missingHeader),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-TARGETDURATION:six"], line: 2,
                  reason: .malformedValue(tag: "EXT-X-TARGETDURATION", value: "six")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-TARGETDURATION:6", "", "#EXTINF:-1,", "a.ts"], line: 4,
                  reason: .malformedValue(tag: "EXTINF", value: "-1,")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-TARGETDURATION:6", "#EXTINF:6,", "a.ts", "b.ts"], line: 5,
                  reason: .orphanURI("b.ts")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-TARGETDURATION:6", "#EXTINF:6,", "#EXTINF:6,", "a.ts"], line: 3,
                  reason: .missingURI(tag: "EXTINF")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-TARGETDURATION:6", "#EXTINF:6,"], line: 3,
                  reason: .missingURI(tag: "EXTINF")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-TARGETDURATION:6", "#EXT-X-STREAM-INF:BANDWIDTH=1", "a.m3u8"], line: 3,
                  reason: .wrongPlaylistKind(tag: "EXT-X-STREAM-INF")),
        ErrorCase(lines: ["#EXTM3U", "#EXTINF:6,", "a.ts"], line: 1,
                  reason: .missingTag("EXT-X-TARGETDURATION")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-TARGETDURATION:6", "#EXT-X-PLAYLIST-TYPE:LIVE"], line: 3,
                  reason: .malformedValue(tag: "EXT-X-PLAYLIST-TYPE", value: "LIVE")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-TARGETDURATION:6", "#EXT-X-BYTERANGE:10@", "#EXTINF:6,", "a.ts"], line: 3,
                  reason: .malformedValue(tag: "EXT-X-BYTERANGE", value: "10@")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-TARGETDURATION:6", "#EXT-X-MAP:BYTERANGE=\"1@0\""], line: 3,
                  reason: .missingAttribute(tag: "EXT-X-MAP", attribute: "URI")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-TARGETDURATION:6", "#EXT-X-MAP:URI=\"a.mp4"], line: 3,
                  reason: .malformedAttributeList(tag: "EXT-X-MAP", detail: "unterminated quoted string in URI")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-TARGETDURATION:6", "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=MAYBE"], line: 3,
                  reason: .invalidAttributeValue(tag: "EXT-X-SERVER-CONTROL", attribute: "CAN-BLOCK-RELOAD", value: "MAYBE")),
    ])
    func errors(testCase: ErrorCase) {
        #expect(throws: PlaylistParseError(line: testCase.line, reason: testCase.reason)) {
            try MediaPlaylist(parsing: playlistText(testCase.lines))
        }
    }

    @Test("errors describe themselves with their line")
    func errorDescription() {
        let error = PlaylistParseError(line: 7, reason: .missingURI(tag: "EXTINF"))
        #expect(error.description == "line 7: #EXTINF is not followed by a URI line")
    }

    @Test("data that is not UTF-8 is rejected")
    func invalidUTF8() {
        #expect(throws: PlaylistParseError(line: 1, reason: .invalidEncoding)) {
            try MediaPlaylist(parsing: Data([0x23, 0x45, 0xFF, 0xFE]))
        }
    }
}

import Foundation
import HLSPlaylist
import Testing

@Suite("Library names by generation")
struct LibraryGenerationTests {
    @Test func generationZeroKeepsThePlainNames() {
        #expect(LibraryLayout.segment(0, extension: "m4s") == "seg-00000.m4s")
        #expect(LibraryLayout.segment(7, extension: "ts", generation: 0) == "seg-00007.ts")
        #expect(LibraryLayout.initSection(generation: 0) == LibraryLayout.initSection)
        #expect(LibraryLayout.initSection == "init.mp4")
        #expect(LibraryLayout.singleFileMedia(extension: "m4s", generation: 0) == "media.m4s")
    }

    @Test func laterGenerationsCarryTheirNumber() {
        #expect(LibraryLayout.segment(0, extension: "m4s", generation: 1) == "seg-1-00000.m4s")
        #expect(LibraryLayout.segment(123_456, extension: "vtt", generation: 12) == "seg-12-123456.vtt")
        #expect(LibraryLayout.initSection(generation: 3) == "init-3.mp4")
        #expect(LibraryLayout.singleFileMedia(extension: "ts", generation: 2) == "media-2.ts")
    }

    @Test(arguments: [0, 1, 2, 9, 10, 4711])
    func everyNameReadsBackItsGeneration(generation: Int) {
        let names = [
            LibraryLayout.segment(0, extension: "m4s", generation: generation),
            LibraryLayout.segment(99_999, extension: "ts", generation: generation),
            LibraryLayout.segment(100_000, extension: "vtt", generation: generation),
            LibraryLayout.initSection(generation: generation),
            LibraryLayout.singleFileMedia(extension: "m4s", generation: generation),
        ]
        for name in names {
            #expect(LibraryLayout.generation(ofMediaFile: name) == generation, "\(name)")
        }
        #expect(LibraryLayout.isSingleFileMedia(LibraryLayout.singleFileMedia(extension: "ts", generation: generation)))
        #expect(!LibraryLayout.isSingleFileMedia(LibraryLayout.segment(0, extension: "ts", generation: generation)))
        #expect(!LibraryLayout.isSingleFileMedia(LibraryLayout.initSection(generation: generation)))
    }

    /// Anything else is no media file of any generation: it is never kept, never counted.
    @Test(arguments: [
        "index.m3u8", "iframes.m3u8", "master.m3u8", "manifest.json", ".ingest.lock",
        ".seg-00000.m4s.part", ".seg-1-00000.m4s.part", ".init.mp4.part", ".media.m4s.tmp",
        "seg-.m4s", "seg-00000", "seg-x.m4s", "seg-1-.m4s", "seg-01-00000.m4s", "seg-0-00000.m4s", "seg-1-2-3.m4s",
        "init-0.mp4", "init-01.mp4", "init-1.m4s", "init.m4s", "media-0.m4s", "media-x.ts", "media", "notes.txt",
    ])
    func otherNamesHaveNoGeneration(name: String) {
        #expect(LibraryLayout.generation(ofMediaFile: name) == nil)
        #expect(!LibraryLayout.isSingleFileMedia(name))
    }

    @Test func theMarkIsADotfileBesideTheAssets() {
        let mark = LibraryLayout.generationMark(of: "clip")
        #expect(mark == ".generation-clip")
        #expect(!AssetName.isValid(mark), "never taken for an asset")
    }
}

@Suite("Manifest generations")
struct ManifestGenerationTests {
    static let before = """
        {"created":"2024-01-01T00:00:00Z","duration":6,"format":"fmp4","master":"master.m3u8","name":"clip",
         "renditions":[],"segmentDuration":6,"singleFile":false,"source":{"path":"a.mp4"},"state":"ready","targetDuration":6}
        """

    @Test func aManifestFromBeforeGenerationsIsGenerationZeroKeepingNothing() throws {
        let manifest = try AssetManifest(json: Data(Self.before.utf8))
        #expect(manifest.generation == 0)
        #expect(manifest.retained.isEmpty)
        #expect(manifest.targetDuration == 6)
        #expect(manifest.source.size == nil)
    }

    @Test func generationAndRetainedRoundTrip() throws {
        var manifest = try AssetManifest(json: Data(Self.before.utf8))
        manifest.generation = 3
        manifest.retained = [.init(generation: 2, until: "2024-01-01T01:01:00Z"), .init(generation: 0, until: "2024-01-01T00:30:00Z")]
        let json = try manifest.encoded()
        #expect(try AssetManifest(json: json) == manifest)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains("\"generation\" : 3"), "\(text)")
        #expect(text.contains("\"until\" : \"2024-01-01T01:01:00Z\""), "\(text)")
    }

    @Test func aManifestStillNeedsItsOwnFields() {
        #expect(throws: (any Error).self) { try AssetManifest(json: Data(#"{"name":"clip","generation":1}"#.utf8)) }
    }
}

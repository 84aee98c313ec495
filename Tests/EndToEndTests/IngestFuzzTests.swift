import Foundation
import ReelTestSupport
import Testing

/// Seeded random corruptions of good fixtures: every ingest ends in a valid asset or a clean
/// one-line error within 30 s, never a crash, a hang or a half-written asset.
@Suite("reel ingest under corrupted inputs")
struct IngestFuzzTests {
    enum Corruption: CaseIterable {
        case bitFlips, truncation, zeroedRange
    }

    static let sources = ["h264-aac.mp4", "hevc-aac.mp4", "h264-aac.mkv", "audio-only.m4a", "moov-at-end.mp4", "vp9-opus.webm"]
    /// 100 by default; set REEL_FUZZ_CASES for a longer run.
    static let cases = ProcessInfo.processInfo.environment["REEL_FUZZ_CASES"].flatMap(Int.init) ?? 100

    /// The corrupted bytes of case `seed`, with a description for failure messages.
    static func corruptedInput(seed: UInt64) throws -> (data: Data, description: String) {
        var random = SeededRandom(seed: seed)
        let source = sources[Int(random.next() % UInt64(sources.count))]
        var bytes = [UInt8](try Data(contentsOf: Fixture.url(source)))
        let corruption = Corruption.allCases[Int(random.next() % 3)]
        switch corruption {
        case .bitFlips:
            let flips = 1 + Int(random.next() % 64)
            for _ in 0..<flips {
                let position = Int(random.next() % UInt64(bytes.count))
                bytes[position] ^= UInt8(1) << UInt8(random.next() % 8)
            }
        case .truncation:
            bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count))))
        case .zeroedRange:
            let start = Int(random.next() % UInt64(bytes.count))
            let length = min(bytes.count - start, 1 + Int(random.next() % 65_536))
            for index in start..<(start + length) { bytes[index] = 0 }
        }
        return (Data(bytes), "seed \(seed): \(source) with \(corruption)")
    }

    @Test func corruptedInputsEndCleanly() async throws {
        let scratch = try TemporaryDirectory(prefix: "fuzz")
        var outcomes: [String: Int] = [:]
        // Two at a time: the machine has two cores.
        try await withThrowingTaskGroup(of: String.self) { group in
            var next: UInt64 = 0
            func enqueue() throws {
                guard next < UInt64(Self.cases) else { return }
                let seed = next
                next += 1
                let (data, description) = try Self.corruptedInput(seed: seed)
                let input = scratch.appending("input-\(seed)")
                try data.write(to: input)
                let library = scratch.appending("library-\(seed)")
                group.addTask {
                    try await Self.check(input: input, library: library, format: seed % 2 == 0 ? "fmp4" : "ts", description: description)
                }
            }
            try enqueue()
            try enqueue()
            while let outcome = try await group.next() {
                outcomes[outcome, default: 0] += 1
                try enqueue()
            }
        }
        #expect(outcomes.values.reduce(0, +) == Self.cases)
        print("fuzz outcomes: \(outcomes)")
        // Both outcomes occur, so the test exercises the success and the failure paths.
        #expect(outcomes["ingested", default: 0] > 0 && outcomes["refused", default: 0] > 0, "\(outcomes)")
    }

    static func check(input: URL, library: URL, format: String, description: String) async throws -> String {
        let result = try await ReelBinary.run(
            ["ingest", input.path, "--library", library.path, "--name", "fuzz", "--format", format, "--progress", "never"],
            timeout: .seconds(30)
        )
        #expect(!result.timedOut, "\(description): hung")
        #expect(!result.signaled, "\(description): crashed (signal)\n\(result.stderrText)")
        switch result.status {
        case 0:
            let validation = try await ReelBinary.run(["validate", library.appendingPathComponent("fuzz").path])
            #expect(validation.status == 0, "\(description): ingested but invalid\n\(validation.stderrText)")
            return "ingested"
        case 1:
            #expect(result.stderrLines.count == 1 && result.stderrText.hasPrefix("reel: "), "\(description): \(result.stderrText)")
            let left = (try? leftInLibrary(library, besidesMarkOf: "fuzz")) ?? []
            #expect(left.isEmpty, "\(description): left \(left) in the library")
            return "refused"
        default:
            Issue.record("\(description): exit \(result.status)\n\(result.stderrText)")
            return "other"
        }
    }
}

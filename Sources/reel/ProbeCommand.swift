import ArgumentParser
import Foundation
import Segmenter

/// `reel probe INPUT [--json]`: describe a media file.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Describe a media file: container, streams, codec strings, keyframes.",
        discussion: "Reads every packet once (no decoding) to count keyframes and measure their spacing."
    )

    @Argument(help: "The media file to describe.")
    var input: String

    @Flag(help: "Print one JSON object instead of the text summary.")
    var json = false

    func run() throws {
        let report: ProbeReport
        do {
            report = try MediaProbe.probe(path: input)
        } catch {
            throw CommandFailure.input(error)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(ProbeSummary(report).text, terminator: "")
        }
    }
}

import ArgumentParser
import Foundation
import HLSPlaylist

/// `reel validate PATH`: check a playlist tree against RFC 8216.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a master or media playlist, or an asset directory, against RFC 8216 (a path or an http:// URL).",
        discussion: "Exit 0 when valid; 1 with one line per violation."
    )

    @Argument(help: "A playlist file, an asset directory, or the http:// URL of either.")
    var path: String

    func run() async throws {
        let violations = path.hasPrefix("http://") || path.hasPrefix("https://")
            ? try await validateURL()
            : await PlaylistTreeValidator.validate(fileSystemPath: path)
        guard violations.isEmpty else {
            for violation in violations { StandardError.print(violation.description) }
            throw ExitCode(1)
        }
        print("\(path): valid")
    }

    /// Fetches the tree over HTTP; an entry URL ending in `/` names an asset directory.
    private func validateURL() async throws -> [PlaylistViolation] {
        guard let url = URL(string: path), url.host != nil else {
            throw CommandFailure.usage("invalid URL '\(path)'")
        }
        let isDirectory = path.hasSuffix("/")
        let base = isDirectory ? url : url.deletingLastPathComponent()
        let entry = isDirectory ? "" : url.lastPathComponent
        let source = HTTPPlaylistSource(base: base)
        do {
            // Fail fast, with one line, when the server cannot be reached at all.
            _ = try await source.size(of: isDirectory ? "master.m3u8" : entry)
        } catch {
            throw CommandFailure(message: "\(error)", status: 1)
        }
        return await PlaylistTreeValidator(source: source).validate(entry: entry).map { violation in
            var violation = violation
            violation.file = base.absoluteString + (violation.file == "." ? "" : violation.file)
            return violation
        }
    }
}

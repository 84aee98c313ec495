import ArgumentParser
import HLSPlaylist

/// `reel validate PATH`: check a playlist tree against RFC 8216.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a master or media playlist, or an asset directory, against RFC 8216.",
        discussion: "Exit 0 when valid; 1 with one line per violation."
    )

    @Argument(help: "A playlist file or an asset directory.")
    var path: String

    func run() async throws {
        let violations = await PlaylistTreeValidator.validate(fileSystemPath: path)
        guard violations.isEmpty else {
            for violation in violations { StandardError.print(violation.description) }
            throw ExitCode(1)
        }
        print("\(path): valid")
    }
}

import ArgumentParser
import Foundation

/// `reel`: turn video files into HLS and serve them.
@main
struct Reel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reel",
        abstract: "Turn video files into HTTP Live Streaming and serve them.",
        version: "0.1.0",
        subcommands: [IngestCommand.self, ServeCommand.self, SignCommand.self, ProbeCommand.self, ValidateCommand.self]
    )

    /// Runs the CLI with Reel's exit statuses: 0 done, 1 the input could not be processed,
    /// 2 usage error (ArgumentParser's own default for usage errors is 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            Foundation.exit(exitStatus(reporting: error))
        }
    }

    /// Prints what `error` means for the user and returns the process exit status.
    static func exitStatus(reporting error: Error) -> Int32 {
        if let failure = error as? CommandFailure {
            StandardError.print("reel: \(failure.message)")
            return failure.status
        }
        let code = exitCode(for: error)
        let message = fullMessage(for: error)
        if code == .success {
            if !message.isEmpty { print(message) }
            return 0
        }
        if !message.isEmpty { StandardError.print(message) }
        return code == .validationFailure ? 2 : code.rawValue
    }
}

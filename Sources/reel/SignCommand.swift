import ArgumentParser
import Foundation
import HLSServer

/// `reel sign PATH`: prints PATH with a signature `reel serve --secret-file` accepts.
struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Print a URL path signed for a server run with --secret-file.",
        discussion: """
            /hls/NAME/master.m3u8 (or any path of the asset, or /hls/NAME/) opens the whole asset; \
            /media/PATH opens that one file; / opens everything, the page and the API included.
            """
    )

    @Argument(help: "The URL path to sign: /hls/NAME/master.m3u8, /hls/NAME/, /media/PATH or /.")
    var path: String

    @Option(help: "Seconds the signature stays valid.")
    var expires: Int64 = 3600

    @Option(help: ArgumentHelp("The secret `reel serve --secret-file` reads: 32 bytes or more, not readable by other users.", valueName: "FILE"))
    var secretFile: String

    /// The time the signature counts from (unix seconds), for tests: signatures already expired.
    @Option(help: .hidden)
    var now: Int64?

    func validate() throws {
        guard expires > 0 else { throw ValidationError("--expires must be a positive number of seconds") }
    }

    func run() throws {
        guard let signable = SignablePath(path) else {
            throw CommandFailure.usage("cannot sign '\(path)': give /hls/NAME/master.m3u8 (an asset), /media/PATH (a source file) or / (everything)")
        }
        let secret = try SigningSecret.loadForCommand(path: secretFile)
        let start = now ?? Int64(Date().timeIntervalSince1970)
        print(signable.signed(expires: start + expires, secret: secret.bytes))
    }
}

extension SigningSecret {
    /// The secret file of `reel sign` and `reel serve`: a refusal is one line and exit 1.
    static func loadForCommand(path: String) throws -> SigningSecret {
        do {
            return try load(path: path)
        } catch {
            throw CommandFailure(message: error.description, status: 1)
        }
    }
}

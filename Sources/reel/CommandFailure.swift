import Segmenter

/// A failure a subcommand reports as one line on stderr, with the exit status it implies.
struct CommandFailure: Error {
    var message: String
    var status: Int32

    /// Exit 1: the input could not be processed.
    static func input(_ error: InputError) -> CommandFailure {
        CommandFailure(message: error.description, status: 1)
    }

    /// Exit 2: the command line asked for something impossible.
    static func usage(_ message: String) -> CommandFailure {
        CommandFailure(message: message, status: 2)
    }
}

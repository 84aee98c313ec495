import Foundation

/// Writes to the process's standard error, unbuffered.
enum StandardError {
    static func print(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

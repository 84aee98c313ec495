/// Moves a non-Sendable value (FFmpeg state, a frame) to another thread.
///
/// Sound only when the sender gives the value up: it never touches it (or anything sharing its
/// mutable state) after handing it off. FFmpeg objects are thread-agnostic; what they need is
/// one owner at a time, which this hand-off keeps.
struct HandOff<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}

/// What asking a codec for output gave: FFmpeg's `EAGAIN` and `AVERROR_EOF` as values rather
/// than errors, since both are the normal rhythm of the send/receive API.
public enum ReceiveResult: Sendable, Equatable {
    /// The frame or packet passed in now holds one output.
    case received
    /// Nothing more until the codec is given more input (`EAGAIN`).
    case needsInput
    /// The codec was flushed and has given everything it had (`AVERROR_EOF`).
    case endOfStream
}

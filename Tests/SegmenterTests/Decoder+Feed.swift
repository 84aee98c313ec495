@testable import Segmenter

extension Decoder {
    /// Sends every packet of stream `index` in `demuxer` to the decoder and then flushes it,
    /// calling `drain` after each packet (with false) and after the flush (with true) to take
    /// the frames it has ready.
    func feed(from demuxer: Demuxer, stream index: Int, drain: (_ flushed: Bool) throws -> Void) throws {
        let packet = Packet()
        while try demuxer.read(into: packet) {
            guard packet.streamIndex == index else { continue }
            try send(packet)
            try drain(false)
        }
        try flush()
        try drain(true)
    }
}

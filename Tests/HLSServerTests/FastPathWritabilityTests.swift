@testable import HLSServer
import Logging
import NIOCore
import NIOEmbedded
import NIOPosix
import Testing

/// The fast path keeps channel-writability events from the handlers above while it answers
/// (a large file makes the channel unwritable and writable again), and tells them the state
/// they missed before it hands them the next request: Hummingbird's writer, told "unwritable"
/// at the end of its last response, would otherwise wait forever.
@Suite("Fast path writability")
struct FastPathWritabilityTests {
    /// Records, above the fast path, what reaches Hummingbird's side.
    final class Recorder: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        var events: [String] = []

        func channelRead(context: ChannelHandlerContext, data: NIOAny) { events.append("request") }
        func channelWritabilityChanged(context: ChannelHandlerContext) { events.append("writable \(context.channel.isWritable)") }
    }

    @Test func missedWritabilityIsToldBeforeTheNextRequest() throws {
        let tree = try ServedTree()
        let library = try ServedRoot(path: tree.library.path)
        let shared = FastFileHandler.Shared(
            library: library, media: try ServedRoot(path: tree.media.path), resolver: FileResolver(cache: SmallFileCache()),
            catalog: AssetCatalog(library: library, cache: ManifestCache()),
            accessLog: AccessLog(logger: Logger(label: "test"), metrics: ServerMetrics()), threadPool: .singleton, access: nil
        )
        let fast = FastFileHandler(shared)
        let recorder = Recorder()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([fast, recorder])
        let context = try channel.pipeline.syncOperations.context(handler: fast)
        let forwarded = ByteBuffer(string: "OPTIONS /hls/ HTTP/1.1\r\nHost: reel\r\n\r\n")

        try channel.writeInbound(forwarded)
        // Hummingbird's response fills the write buffer: it hears so, then ends.
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        fast.forwardedResponseEnded(context: context)
        // Writable again while the fast path owns the connection: not sent up.
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(recorder.events == ["request", "writable false"])
        // The next forwarded request comes after the state Hummingbird missed.
        try channel.writeInbound(forwarded)
        #expect(recorder.events == ["request", "writable false", "writable true", "request"])
        // Changes while it answers go up as they happen.
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(recorder.events.last == "writable false")
        _ = try channel.finish(acceptAlreadyClosed: true)
    }
}

import HLSPlaylist
import Hummingbird

extension ReelResponder {
    /// A library file, after its blocking reload (`?_HLS_msn=N`) when the request is one, or
    /// once it exists when it is the part a playlist's preload hint names.
    func libraryFile(_ request: Request, encodedPath: Substring, signature: URLSignature?) async throws -> Response {
        let directives = DeliveryDirectives(query: request.uri.query.map { $0[...] })
        // The request waits here, before the file is resolved, so a parked request keeps as few
        // frames alive as it can (a thousand may wait at once).
        switch BlockingReloadRequest(root: library, encodedPath: encodedPath, directives: directives) {
        case .none: break
        case .invalid: return ReelResponse.error(.badRequest)
        case .wait(let awaited, let location): if let refusal = await hold(awaited, at: location) { return refusal }
        }
        let response = try await files.respond(
            to: request, root: library, encodedPath: encodedPath, policy: .library(catalog: catalog),
            deltaUpdate: directives.asksDeltaUpdate, reload: directives.isBlockingReload, signature: signature
        )
        // A part asked for before it is published, by its preload hint: held until it is.
        guard response.status == .notFound, case .wait(let awaited, let location)? = BlockingReloadRequest.hinted(root: library, encodedPath: encodedPath) else {
            return response
        }
        if let refusal = await hold(awaited, at: location) { return refusal }
        return try await files.respond(to: request, root: library, encodedPath: encodedPath, policy: .library(catalog: catalog), signature: signature)
    }

    /// Holds the request until `awaited` is published; the error response when it must not be
    /// served (400, 503), nil to serve it.
    private func hold(_ awaited: PlaylistReloadMonitor.Awaited, at location: PlaylistReloadMonitor.Location) async -> Response? {
        metrics.blockingReloadStarted()
        defer { metrics.blockingReloadFinished() }
        let outcome = await PlaylistReloadMonitor.shared.wait(for: awaited, at: location)
        return outcome.refusal.map { ReelResponse.error(.init(code: $0)) }
    }
}

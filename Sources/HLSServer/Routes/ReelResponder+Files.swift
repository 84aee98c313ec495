import HLSPlaylist
import Hummingbird

extension ReelResponder {
    /// A library file, after its blocking reload (`?_HLS_msn=N`) when the request is one.
    func libraryFile(_ request: Request, encodedPath: Substring) async throws -> Response {
        // The request waits here, before the file is resolved, so a parked request keeps as few
        // frames alive as it can (a thousand may wait at once).
        if let refusal = await holdBlockingReload(request, encodedPath: encodedPath) { return refusal }
        return try await files.respond(to: request, root: library, encodedPath: encodedPath, policy: .library(catalog: catalog))
    }

    /// Parks a blocking playlist reload until its segment is published; returns the error
    /// response when it must not be served (400, 503), nil to serve it.
    private func holdBlockingReload(_ request: Request, encodedPath: Substring) async -> Response? {
        guard LibraryLayout.isPlaylist(encodedPath) else { return nil }
        let query = request.uri.queryParameters
        switch BlockingReload(msn: query["_HLS_msn"].map(String.init), part: query["_HLS_part"].map(String.init)) {
        case .none:
            return nil
        case .invalid:
            return ReelResponse.error(.badRequest)
        case .wait(let msn):
            guard let segments = RequestPath.segments(encodedPath), segments.count >= 2, AssetName.isValid(segments[0]) else { return nil }
            metrics.blockingReloadStarted()
            defer { metrics.blockingReloadFinished() }
            switch await PlaylistReloadMonitor.shared.wait(msn: msn, at: .init(root: library, segments: segments)) {
            case .serve: return nil
            case .tooFarAhead: return ReelResponse.error(.badRequest)
            case .abandoned, .timedOut, .shuttingDown: return ReelResponse.error(.serviceUnavailable)
            }
        }
    }
}

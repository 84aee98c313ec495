import Foundation
import ReelTestSupport

/// nginx as a shared cache (a CDN edge) in front of an origin: its cache, temporary files,
/// logs and pid in a scratch directory, run as the current user in the foreground, stopped
/// (SIGTERM) when released. What it caches and for how long the origin's Cache-Control alone
/// decides (no `proxy_cache_valid`); every response says `X-Cache-Status` (MISS, HIT, ...).
final class CachingProxy: @unchecked Sendable {
    // @unchecked: the process is only touched from init, stop() and deinit.
    let process = Process()
    let port: Int
    private let scratch: TemporaryDirectory

    var base: String { "http://127.0.0.1:\(port)" }

    init(origin: Int) async throws {
        scratch = try TemporaryDirectory(prefix: "nginx")
        port = try ServedReel.freePort()
        let configuration = scratch.appending("nginx.conf")
        try Data(Self.configuration(root: scratch.path, port: port, origin: origin).utf8).write(to: configuration)
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        // -e: the error log before the configuration is read (the default is under /var/log).
        process.arguments = ["-p", scratch.path, "-c", configuration.path, "-e", scratch.appending("error.log").path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: Self.touch(scratch.appending("stderr")))
        try process.run()
        let ready = await eventually(within: .seconds(10)) {
            guard process.isRunning else { return true }
            return (try? await HTTP.get("\(base)/healthz"))?.status == 200
        }
        guard ready, process.isRunning else { throw MissingValue(description: "nginx did not start: \(log)") }
    }

    /// nginx's error log and stderr, for failure messages.
    var log: String {
        ["error.log", "stderr"].compactMap { try? String(contentsOf: scratch.appending($0), encoding: .utf8) }.joined(separator: "\n")
    }

    /// Sends SIGTERM (fast shutdown) and waits, at most 10 s, for the exit status.
    func stop() async -> Int32? {
        if process.isRunning { process.terminate() }
        guard await eventually(within: .seconds(10), { !self.process.isRunning }) else { return nil }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    static func configuration(root: String, port: Int, origin: Int) -> String {
        // A master and one worker: the master sets its own signal mask (a single process would
        // keep the one it inherits, and the test runner's may block SIGTERM). Run as root, the
        // worker becomes `nobody` and nginx hands it the cache and temporary directories.
        """
        daemon off;
        worker_processes 1;
        pid \(root)/nginx.pid;
        error_log \(root)/error.log warn;
        events { worker_connections 256; }
        http {
            access_log off;
            client_body_temp_path \(root)/client-body;
            proxy_temp_path \(root)/proxy-temp;
            fastcgi_temp_path \(root)/fastcgi-temp;
            uwsgi_temp_path \(root)/uwsgi-temp;
            scgi_temp_path \(root)/scgi-temp;
            proxy_cache_path \(root)/cache levels=1:2 keys_zone=edge:4m max_size=512m inactive=1d use_temp_path=off;
            server {
                listen 127.0.0.1:\(port);
                location / {
                    proxy_pass http://127.0.0.1:\(origin);
                    proxy_http_version 1.1;
                    proxy_cache edge;
                    add_header X-Cache-Status $upstream_cache_status always;
                }
            }
        }
        """
    }

    private static func touch(_ url: URL) -> URL {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        return url
    }
}

import Foundation
import TGBotHTTP
import TGBotTesting
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The `tgbotd` executable `swift build` put next to this test binary.
private func tgbotdPath() throws -> String {
    let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    // .build/<triple>/debug/tgbotdPackageTests.xctest -> .build/<triple>/debug/tgbotd
    return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("tgbotd").path
}

/// A listening socket on 127.0.0.1, as a `.socket` unit would make it, never at descriptor 3 (where the child
/// needs it: `dup2` onto itself would not clear close-on-exec).
private func makeListener() throws -> (fd: Int32, port: Int) {
    var fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw SocketError("socket", errno: errno) }
    if fd == 3 {
        let moved = fcntl(fd, F_DUPFD_CLOEXEC, 10)
        close(fd)
        fd = moved
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let rc = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
            bind(fd, raw, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, raw, &length) == 0
        }
    }
    guard rc else { throw SocketError("bind/listen", errno: errno) }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}

/// Starts `tgbotd serve` the way systemd does for `Type=notify` + `tgbotd.socket`: the listener at descriptor 3
/// with `LISTEN_FDS=1` and `LISTEN_PID` set to the daemon's own pid (the shell sets it to `$$`, then `exec`s, so
/// the pid is the daemon's), `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `CREDENTIALS_DIRECTORY`.
private func spawnDaemon(binary: String, listener: Int32, environment: [String: String]) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, listener, 3)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let arguments = ["/bin/sh", "-c", #"LISTEN_PID=$$ exec "$0" serve --port 1"#, binary]
    let variables = environment.map { "\($0.key)=\($0.value)" }
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    var envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
    defer { for pointer in argv + envp { free(pointer) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, "/bin/sh", &actions, nil, &argv, &envp)
    guard rc == 0 else { throw SocketError("posix_spawn", errno: rc) }
    return pid
}

/// Waits (bounded: 10 s) for `pid` to exit; returns its wait status, or nil if it is still running.
private func waitForExit(_ pid: pid_t) async -> Int32? {
    for _ in 0..<1000 {
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { return status }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return nil
}

@Suite(.timeLimit(.minutes(1)))
struct SystemdDaemonTests {
    /// The whole systemd contract of the real executable: socket activation, credentials, READY=1 once it
    /// accepts, WATCHDOG=1 while running, STOPPING=1 and a clean exit on SIGTERM.
    @Test func daemonServesTheInheritedSocketAndNotifiesSystemd() async throws {
        let binary = try tgbotdPath()
        try #require(access(binary, X_OK) == 0, "tgbotd is built by `swift build` next to the tests: \(binary)")
        let receiver = try NotifyReceiver()
        defer { receiver.stop() }
        var inbox = receiver.datagrams.makeAsyncIterator()
        let credentials =
            NSTemporaryDirectory() + "tgbotd-daemon-credentials-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: credentials) }
        try Data("daemon_secret\n".utf8).write(to: URL(fileURLWithPath: credentials + "/webhook-secret"))
        // systemd's StateDirectory=: the journal goes here, not into the tests' working directory.
        let stateDirectory = credentials + "/state"
        let listener = try makeListener()
        defer { close(listener.fd) }

        let pid = try spawnDaemon(
            binary: binary, listener: listener.fd,
            environment: [
                "PATH": "/usr/bin:/bin", "LISTEN_FDS": "1", "NOTIFY_SOCKET": receiver.notifySocket,
                "WATCHDOG_USEC": "200000", "CREDENTIALS_DIRECTORY": credentials, "STATE_DIRECTORY": stateDirectory,
            ])
        var exited = false
        defer {
            if !exited {
                kill(pid, SIGKILL)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
            }
        }

        let ready = try #require(await inbox.next(containing: "READY=1"))
        #expect(ready.contains("STATUS=Accepting updates on 127.0.0.1:\(listener.port)"))
        let update =
            #"{"update_id":1,"message":{"message_id":1,"date":0,"chat":{"id":7,"type":"private"},"text":"hi"}}"#
        let client = try RawHTTPClient(port: listener.port)
        try client.send(
            "POST /telegram HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                + "X-Telegram-Bot-Api-Secret-Token: daemon_secret\r\nContent-Length: \(update.utf8.count)\r\n\r\n"
                + update)
        let response = try await client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText.contains(#""method":"sendMessage""#))
        // Demo mode never speaks https, so OpenSSL was never loaded: libssl and libcrypto are opened on first use
        // (COpenSSL's loader), not linked, which keeps about 1.6 MB out of the idle daemon's resident memory.
        let maps = try String(contentsOfFile: "/proc/\(pid)/maps", encoding: .utf8)
        #expect(maps.contains("tgbotd"), "the maps of the daemon itself")
        #expect(!maps.contains("libssl"), "libssl is mapped although nothing used TLS")
        #expect(!maps.contains("libcrypto"), "libcrypto is mapped although nothing used TLS")
        try client.send(
            "POST /telegram HTTP/1.1\r\nHost: t\r\nX-Telegram-Bot-Api-Secret-Token: wrong\r\nContent-Length: 2\r\n\r\n{}"
        )
        #expect(try await client.readResponse().status == 401, "the secret came from the credentials directory")
        #expect(await inbox.next(containing: "WATCHDOG=1") != nil)

        kill(pid, SIGTERM)
        #expect(await inbox.next(containing: "STOPPING=1") != nil)
        let status = try #require(await waitForExit(pid))
        exited = true
        #expect(status == 0, "exit status \(status)")
    }
}

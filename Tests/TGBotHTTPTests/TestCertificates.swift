import Foundation

/// A throwaway PKI for TLS tests, made with the `openssl` command line tool in a temporary directory: a CA and
/// server certificates (P-256 keys) it issued for chosen subject alternative names.
struct TestCertificates {
    /// The `openssl` tool the certificates are made with.
    static let tool = "/usr/bin/openssl"
    /// Whether ``tool`` exists; TLS tests are skipped without it.
    static var isToolAvailable: Bool { FileManager.default.isExecutableFile(atPath: tool) }

    /// A server certificate and its key, as PEM files.
    struct Leaf {
        var certificateFile: String
        var keyFile: String
    }

    /// The directory holding every file; removed by ``remove()``.
    let directory: URL
    /// The CA certificate (PEM), to trust with `HTTPClientTLSConfiguration.additionalCAFile`.
    let caFile: String

    /// Creates a fresh CA in a new temporary directory.
    static func makeCA() async throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tgbotd-tls-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try await run(
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=tgbotd test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ], in: directory)
        return TestCertificates(directory: directory, caFile: directory.appendingPathComponent("ca.pem").path)
    }

    /// Issues a server certificate named `name` with subject alternative names `altNames` (such as
    /// `"DNS:localhost,IP:127.0.0.1"`).
    func issue(_ name: String, altNames: String) async throws -> Leaf {
        let extensions = "subjectAltName=\(altNames)\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
        try extensions.write(to: directory.appendingPathComponent("\(name).ext"), atomically: true, encoding: .utf8)
        try await Self.run(
            [
                "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(name)",
            ], in: directory)
        try await Self.run(
            [
                "x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "\(name).pem", "-days", "2", "-extfile", "\(name).ext",
            ], in: directory)
        return Leaf(
            certificateFile: directory.appendingPathComponent("\(name).pem").path,
            keyFile: directory.appendingPathComponent("\(name).key").path)
    }

    /// Deletes the directory and every key in it.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `openssl` with `arguments` in `directory`, awaiting its exit without blocking a thread.
    private static func run(_ arguments: [String], in directory: URL) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let status = try await withCheckedThrowingContinuation {
            (continuation: CheckedContinuation<Int32, any Error>) in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        guard status == 0 else { throw OpenSSLToolError(arguments: arguments, status: status) }
    }
}

/// `openssl` exited with a failure status.
struct OpenSSLToolError: Error, CustomStringConvertible {
    var arguments: [String]
    var status: Int32
    var description: String { "openssl \(arguments.prefix(2).joined(separator: " ")) exited with \(status)" }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Thin wrappers around the POSIX calls the server makes.
///
/// Every wrapper retries on `EINTR`, turns `EAGAIN`/`EWOULDBLOCK` into an explicit `.wouldBlock` result where
/// the caller can meet it, and throws ``SocketError`` with errno otherwise. Keeping libc behind this one file
/// keeps the rest of the module free of errno handling.
package enum Syscall {
    /// The outcome of a non-blocking I/O call.
    package enum IOResult: Equatable {
        /// The call moved this many bytes (0 on read means end of stream).
        case processed(Int)
        /// The call would block; wait for readiness.
        case wouldBlock
    }

    /// Runs `body` until it does not fail with `EINTR`; throws on any other negative result.
    @inline(__always)
    package static func retrying(_ operation: String, _ body: () -> Int32) throws(SocketError) -> Int32 {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = Glibc.errno
            if code == EINTR { continue }
            throw SocketError(operation, errno: code)
        }
    }

    /// `read(2)` on a non-blocking descriptor.
    @inline(__always)
    package static func read(
        _ fd: Int32, _ pointer: UnsafeMutableRawPointer, _ count: Int
    ) throws(SocketError)
        -> IOResult
    {
        while true {
            let n = Glibc.read(fd, pointer, count)
            if n >= 0 { return .processed(n) }
            let code = Glibc.errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            throw SocketError("read", errno: code)
        }
    }

    /// `send(2)` with `MSG_NOSIGNAL`, so a peer that went away yields `EPIPE` instead of killing the process.
    @inline(__always)
    package static func send(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) throws(SocketError) -> IOResult {
        while true {
            let n = Glibc.send(fd, pointer, count, Int32(MSG_NOSIGNAL))
            if n >= 0 { return .processed(n) }
            let code = Glibc.errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            throw SocketError("send", errno: code)
        }
    }

    /// `close(2)`. Linux releases the descriptor even when close reports `EINTR`, so it is never retried:
    /// a retry could close a descriptor another thread has just been given.
    package static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Sets an integer socket option.
    package static func setOption(
        _ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32, _ label: String
    )
        throws(SocketError)
    {
        var v = value
        _ = try retrying("setsockopt(\(label))") {
            setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// Monotonic time in nanoseconds (`CLOCK_MONOTONIC`), the time base of every server deadline.
    @inline(__always)
    package static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}

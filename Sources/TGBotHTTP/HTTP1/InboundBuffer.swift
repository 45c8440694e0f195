/// Bytes received on a connection and not yet consumed by the parser.
///
/// A growable array with a read cursor; consumed bytes are discarded lazily, when they are most of the
/// storage, so a pipelined burst is parsed without copying after every request.
public struct InboundBuffer: Sendable {
    /// The storage; bytes before ``readerIndex`` are consumed.
    public private(set) var bytes: [UInt8] = []
    /// The index of the first unconsumed byte.
    public private(set) var readerIndex: Int = 0

    /// Creates an empty buffer.
    public init() {}

    /// Creates a buffer holding `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The number of unconsumed bytes.
    @inline(__always)
    public var readableCount: Int { bytes.count - readerIndex }

    /// Appends received bytes.
    public mutating func append(_ pointer: UnsafeRawBufferPointer) {
        compactIfWorthwhile()
        bytes.append(contentsOf: pointer.bindMemory(to: UInt8.self))
    }

    /// Appends received bytes.
    public mutating func append<S: Sequence>(contentsOf other: S) where S.Element == UInt8 {
        compactIfWorthwhile()
        bytes.append(contentsOf: other)
    }

    /// Marks `count` bytes as consumed.
    @inline(__always)
    mutating func consume(_ count: Int) {
        readerIndex += count
        if readerIndex == bytes.count {
            bytes.removeAll(keepingCapacity: bytes.capacity <= 64 * 1024)
            readerIndex = 0
        }
    }

    private mutating func compactIfWorthwhile() {
        if readerIndex > 0 && readerIndex >= 4096 && readerIndex * 2 >= bytes.count {
            bytes.removeSubrange(0..<readerIndex)
            readerIndex = 0
        }
    }

    /// Drops all bytes and, when the storage grew large, its memory.
    mutating func reset() {
        bytes.removeAll(keepingCapacity: bytes.capacity <= 64 * 1024)
        readerIndex = 0
    }
}

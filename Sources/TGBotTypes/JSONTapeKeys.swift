/// The JSON member names of one type, laid out for matching against the bytes of a ``JSONTape`` key.
///
/// Generated types keep one in a `static let` (built once). A lookup hashes the key bytes (FNV-1a), probes
/// an open-addressing table at most half full and compares bytes only on a hash match — no `String`, no
/// SipHash, and the same cost for `Message`'s 115 fields as for `User`'s 18.
struct JSONTapeKeys: Sendable {
    /// All names, concatenated.
    private let names: [UInt8]
    /// `names[starts[i]..<starts[i + 1]]` is name `i`.
    private let starts: [Int]
    /// Per slot: the hash's high bits and `index + 1` (0: empty).
    private let table: [UInt64]
    private let mask: Int

    /// The number of names (fields).
    var count: Int { starts.count - 1 }

    /// - Parameter keys: Member names in field order; a lookup answers the position here.
    init(_ keys: [String]) {
        var names: [UInt8] = []
        var starts = [0]
        for key in keys {
            names += key.utf8
            starts.append(names.count)
        }
        var size = 4
        while size < keys.count * 2 { size *= 2 }
        var table = [UInt64](repeating: 0, count: size)
        names.withUnsafeBufferPointer { buffer in
            for index in keys.indices {
                let hash = Self.hash(UnsafeBufferPointer(rebasing: buffer[starts[index]..<starts[index + 1]]))
                var slot = Int(truncatingIfNeeded: hash) & (size - 1)
                while table[slot] != 0 { slot = (slot + 1) & (size - 1) }
                table[slot] = hash << 32 | UInt64(index + 1)
            }
        }
        self.names = names
        self.starts = starts
        self.table = table
        mask = size - 1
    }

    /// The position of the name equal to `key`, or nil.
    @inline(__always)
    func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = Self.hash(key)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = table[slot]
            if entry == 0 { return nil }
            if entry >> 32 == hash {
                let index = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                let start = starts[index]
                if starts[index + 1] - start == key.count, equals(key, at: start) { return index }
            }
            slot = (slot + 1) & mask
        }
    }

    /// The position of the name equal to `key` (decoded bytes of an escaped key), or nil.
    func index(of key: [UInt8]) -> Int? {
        key.withUnsafeBufferPointer { index(of: $0) }
    }

    private func equals(_ key: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        names.withUnsafeBufferPointer { names in
            for offset in 0..<key.count where names[start + offset] != key[offset] { return false }
            return true
        }
    }

    /// 32-bit FNV-1a.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
        return UInt64(hash)
    }
}

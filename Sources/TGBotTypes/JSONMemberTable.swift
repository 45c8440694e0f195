/// The members of one JSON object, laid out for the lookups a `Decodable` type makes through a tree decoder.
///
/// A synthesized `init(from:)` asks for every key the type knows — 115 for `Message` — while a real object
/// carries a handful, so nearly every lookup misses. A `Dictionary` pays a full SipHash of the key for each
/// of them. Here each member is stored with a cheap fingerprint (length, first and middle byte); a lookup
/// compares fingerprints first and the key bytes only on a fingerprint match, so a miss costs a short scan
/// of integers. Objects with many members fall back to the dictionary, where hashing wins again.
struct JSONMemberTable {
    private struct Entry {
        var fingerprint: UInt32
        var key: String
        var value: JSONValue
    }

    /// Above this many members the dictionary is used as is.
    static let maxScannedMembers = 24

    private let entries: [Entry]
    private let dictionary: [String: JSONValue]?

    init(_ members: [String: JSONValue]) {
        if members.count > Self.maxScannedMembers {
            entries = []
            dictionary = members
        } else {
            var entries: [Entry] = []
            entries.reserveCapacity(members.count)
            for (key, value) in members {
                entries.append(Entry(fingerprint: Self.fingerprint(key), key: key, value: value))
            }
            self.entries = entries
            dictionary = nil
        }
    }

    /// The member named `key`, or nil.
    subscript(key: String) -> JSONValue? {
        if let dictionary { return dictionary[key] }
        let fingerprint = Self.fingerprint(key)
        for entry in entries where entry.fingerprint == fingerprint && entry.key == key {
            return entry.value
        }
        return nil
    }

    /// The member names, in no particular order.
    var keys: [String] { dictionary.map { Array($0.keys) } ?? entries.map(\.key) }

    /// Length, first byte and middle byte. `utf8.last` and friends go through the generic collection code;
    /// the contiguous bytes (always available for native and literal strings) are far cheaper.
    @inline(__always)
    static func fingerprint(_ key: String) -> UInt32 {
        key.utf8.withContiguousStorageIfAvailable { bytes -> UInt32 in
            guard !bytes.isEmpty else { return 0 }
            return UInt32(truncatingIfNeeded: bytes.count) << 16 | UInt32(bytes[0]) << 8
                | UInt32(bytes[bytes.count / 2])
        } ?? UInt32(truncatingIfNeeded: key.utf8.count) << 16
    }
}

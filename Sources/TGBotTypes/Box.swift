/// An immutable heap cell that lets a generated struct hold a value of a type that contains the struct
/// itself (`Message.replyToMessage`, `Message.pinnedMessage`, …), which Swift cannot store inline.
///
/// Generated code keeps the box private and exposes a computed property of the wrapped type, so a box is
/// never visible in the public API. Value semantics hold because the cell is never mutated: a setter stores
/// a new box. `Sendable` is checked by the compiler (a final class with a `let` of a `Sendable` type).
final class Box<Wrapped: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
    let value: Wrapped

    init(_ value: Wrapped) {
        self.value = value
    }

    /// Decodes the wrapped value in place (the box adds no JSON nesting).
    init(from decoder: any Decoder) throws {
        value = try Wrapped(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
    }

    static func == (lhs: Box, rhs: Box) -> Bool {
        lhs === rhs || lhs.value == rhs.value
    }

    func hash(into hasher: inout Hasher) {
        value.hash(into: &hasher)
    }
}

/// The heap cell behind a large generated struct (`Message`, `ChatFullInfo`, …): the struct holds one
/// reference, so copying it — into an `Update.Kind` case, out of a pattern match, into a handler — is one
/// retain instead of one per stored property.
///
/// The owning struct reads through `value` and writes only after making the cell unique
/// (`isKnownUniquelyReferenced`, copying the fields into a new cell when shared), so value semantics hold.
///
/// Sendable: `value` is written only through a cell its one owner holds uniquely (checked before every
/// write); a cell reachable from more than one value — and so possibly from more than one thread — is never
/// written, only read.
final class CopyOnWriteStorage<Value: Sendable>: @unchecked Sendable {
    var value: Value

    init(_ value: Value) {
        self.value = value
    }
}

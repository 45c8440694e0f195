import TGBotDispatch

/// The bank bot's accounts on a ``TGBotDispatch/StateStore``: one balance per user plus an index of account
/// holders, changed only inside store transactions so that no interleaving of concurrent operations can create
/// or destroy units.
///
/// Layout: `user:<id>/bank.balance` (`Int64`) for each account and `bot/bank.accounts` (`[Int64]`, sorted) for
/// the index the audit walks. Opening an account writes both in one transaction; a transfer changes two
/// balances in one transaction.
///
/// The operations' results are `Codable`, so a durable store that records a handler's transactions for
/// exactly-once effects can return the recorded result when an update is replayed after a crash.
public struct BankLedger: Sendable {
    /// Units credited to a newly opened account.
    public static let openingBalance: Int64 = 100

    /// The store holding the accounts.
    public let store: any StateStore

    /// A ledger on `store`.
    public init(store: any StateStore) {
        self.store = store
    }

    /// The result of ``open(_:)``.
    public enum OpenResult: Sendable, Hashable, Codable {
        /// A new account with ``BankLedger/openingBalance``.
        case opened(balance: Int64)
        /// The user already had an account; nothing changed.
        case alreadyOpen(balance: Int64)
    }

    /// The result of ``transfer(_:from:to:)``.
    public enum TransferResult: Sendable, Hashable, Codable {
        /// The units moved.
        case done
        /// The amount is not positive.
        case badAmount
        /// Sender and recipient are the same user.
        case selfTransfer
        /// The sender has no account.
        case noAccount
        /// The recipient has no account.
        case unknownRecipient
        /// The sender's balance is below the amount.
        case insufficientFunds(balance: Int64)
    }

    /// The sum of all balances and the number of accounts, read in one transaction (a consistent snapshot).
    public struct Audit: Sendable, Hashable, Codable {
        /// The sum of all balances.
        public var total: Int64
        /// The number of accounts.
        public var accounts: Int
    }

    /// Opens an account for `user` with ``openingBalance`` units, unless there is one.
    public func open(_ user: Int64) async throws -> OpenResult {
        try await store.transaction { tx in
            if let balance = try tx.value(Int64.self, for: Self.balanceKey(user)) {
                return .alreadyOpen(balance: balance)
            }
            var holders = try tx.value([Int64].self, for: Self.accountsKey) ?? []
            let index = holders.firstIndex { $0 > user } ?? holders.endIndex
            holders.insert(user, at: index)
            try tx.set(holders, for: Self.accountsKey)
            try tx.set(Self.openingBalance, for: Self.balanceKey(user))
            return .opened(balance: Self.openingBalance)
        }
    }

    /// The balance of `user`, or nil without an account.
    public func balance(of user: Int64) async throws -> Int64? {
        try await store.value(Int64.self, for: Self.balanceKey(user))
    }

    /// Moves `amount` units from `sender` to `recipient` if both have accounts and the sender has the units.
    /// Both balances change in one transaction, or neither does; the same transaction counts the request in
    /// ``transfersKey(_:)`` (an audit trail that also shows whether a request was ever applied twice).
    public func transfer(_ amount: Int64, from sender: Int64, to recipient: Int64) async throws -> TransferResult {
        guard amount > 0 else { return .badAmount }
        guard sender != recipient else { return .selfTransfer }
        return try await store.transaction { tx in
            // Counted in the same transaction as the balances: a transfer handled twice would show here.
            let processed = try tx.value(Int64.self, for: Self.transfersKey(sender)) ?? 0
            try tx.set(processed + 1, for: Self.transfersKey(sender))
            guard let from = try tx.value(Int64.self, for: Self.balanceKey(sender)) else { return .noAccount }
            guard let to = try tx.value(Int64.self, for: Self.balanceKey(recipient)) else { return .unknownRecipient }
            guard from >= amount else { return .insufficientFunds(balance: from) }
            // Cannot overflow: the total of all balances is 100 per account, far below Int64.max.
            try tx.set(from - amount, for: Self.balanceKey(sender))
            try tx.set(to + amount, for: Self.balanceKey(recipient))
            return .done
        }
    }

    /// Sums every account in one transaction.
    public func audit() async throws -> Audit {
        try await store.transaction { tx in
            let holders = try tx.value([Int64].self, for: Self.accountsKey) ?? []
            var total: Int64 = 0
            for holder in holders {
                total += try tx.value(Int64.self, for: Self.balanceKey(holder)) ?? 0
            }
            return Audit(total: total, accounts: holders.count)
        }
    }

    /// Where the balance of `user` is stored.
    public static func balanceKey(_ user: Int64) -> StateKey { StateKey(.user(user), "bank.balance") }
    /// Where the number of transfer requests `user` made that reached the ledger is stored (refused ones too).
    public static func transfersKey(_ user: Int64) -> StateKey { StateKey(.user(user), "bank.transfers") }
    /// Where the sorted list of account holders is stored.
    public static let accountsKey = StateKey(.bot, "bank.accounts")
}

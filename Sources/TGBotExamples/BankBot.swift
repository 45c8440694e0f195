import TGBotDispatch
import TGBotTypes

/// The example bank bot (`tgbotd serve --bot bank`): every user can open an account and move units to other
/// accounts; units are never created or destroyed by transfers, however many run at once.
///
/// Commands and replies:
/// - `/open` — opens the sender's account with 100 units: `Account opened. Balance: 100`.
/// - `/balance` — `Balance: N`.
/// - `/transfer N USER_ID` — moves N units to that user's account: `Done`, or why not (no account, insufficient
///   funds, bad amount, unknown recipient, self transfer, usage).
/// - `/audit` — `Total: T across K accounts`.
///
/// The accounts live in the dispatcher's ``TGBotDispatch/StateStore`` (see ``BankLedger``), so the in-memory
/// store can be swapped for a durable one without touching this code.
public enum BankBot {
    /// Registers the bank's command handlers in `dispatcher`, using its store.
    public static func install(into dispatcher: inout Dispatcher, group: Int = 0) {
        let ledger = BankLedger(store: dispatcher.store)
        dispatcher.command("open", group: group) { context, _ in
            guard let user = context.userID else { return try await context.reply(Reply.anonymous) }
            switch try await ledger.open(user) {
            case .opened(let balance): try await context.reply("Account opened. Balance: \(balance)")
            case .alreadyOpen(let balance): try await context.reply("You already have an account. Balance: \(balance)")
            }
        }
        dispatcher.command("balance", group: group) { context, _ in
            guard let user = context.userID else { return try await context.reply(Reply.anonymous) }
            guard let balance = try await ledger.balance(of: user) else {
                return try await context.reply(Reply.noAccount)
            }
            try await context.reply("Balance: \(balance)")
        }
        dispatcher.command("transfer", group: group) { context, command in
            guard let user = context.userID else { return try await context.reply(Reply.anonymous) }
            try await context.reply(try await transfer(command.argumentList, from: user, ledger: ledger))
        }
        dispatcher.command("audit", group: group) { context, _ in
            let audit = try await ledger.audit()
            try await context.reply("Total: \(audit.total) across \(audit.accounts) accounts")
        }
    }

    /// Parses `/transfer` arguments, performs the transfer and returns the reply text.
    static func transfer(_ arguments: [String], from user: Int64, ledger: BankLedger) async throws -> String {
        guard arguments.count == 2 else { return Reply.transferUsage }
        guard let amount = Int64(arguments[0]), amount > 0 else {
            return "Bad amount '\(arguments[0])': use a positive whole number. \(Reply.transferUsage)"
        }
        guard let recipient = Int64(arguments[1]) else {
            return "Unknown recipient '\(arguments[1])': give their numeric user id."
        }
        switch try await ledger.transfer(amount, from: user, to: recipient) {
        case .done: return "Done"
        case .badAmount: return "Bad amount: use a positive whole number. \(Reply.transferUsage)"
        case .selfTransfer: return "You cannot transfer to yourself."
        case .noAccount: return Reply.noAccount
        case .unknownRecipient: return "Unknown recipient: user \(recipient) has no account."
        case .insufficientFunds(let balance): return "Insufficient funds: your balance is \(balance)."
        }
    }

    private enum Reply {
        static let anonymous = "This bank serves users only (not anonymous admins or channels)."
        static let noAccount = "You have no account. Send /open first."
        static let transferUsage = "Usage: /transfer AMOUNT USER_ID"
    }
}

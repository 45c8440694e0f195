import TGBotDispatch
import TGBotExamples
import TGBotTesting
import TGBotTypes
import Testing

@Suite struct BankBotTests {
    let bot = RecordingBotAPICaller()
    let dispatcher = ExampleBot.bank.makeDispatcher(botUsername: "bank_bot")

    /// Sends `text` from `user` and returns the bot's reply.
    func send(_ text: String, from user: Int64) async -> String? {
        let before = bot.sentTexts.count
        let outcome = await dispatcher.handle(.make(text: text, userID: user), bot: bot)
        #expect(outcome.status == .handled, "\(text): \(String(describing: outcome.error))")
        let texts = bot.sentTexts
        return texts.count == before + 1 ? texts.last : nil
    }

    @Test func openBalanceTransferAudit() async {
        #expect(await send("/balance", from: 1) == "You have no account. Send /open first.")
        #expect(await send("/open", from: 1) == "Account opened. Balance: 100")
        #expect(await send("/open@bank_bot", from: 1) == "You already have an account. Balance: 100")
        #expect(await send("/open", from: 2) == "Account opened. Balance: 100")
        #expect(await send("/transfer 30 2", from: 1) == "Done")
        #expect(await send("/balance", from: 1) == "Balance: 70")
        #expect(await send("/balance", from: 2) == "Balance: 130")
        #expect(await send("/audit", from: 3) == "Total: 200 across 2 accounts")
    }

    @Test func transferRefusals() async {
        _ = await send("/open", from: 1)
        _ = await send("/open", from: 2)
        #expect(await send("/transfer 101 2", from: 1) == "Insufficient funds: your balance is 100.")
        #expect(await send("/transfer 0 2", from: 1)?.hasPrefix("Bad amount '0'") == true)
        #expect(await send("/transfer -5 2", from: 1)?.hasPrefix("Bad amount '-5'") == true)
        #expect(await send("/transfer ten 2", from: 1)?.hasPrefix("Bad amount 'ten'") == true)
        #expect(await send("/transfer 5 bob", from: 1) == "Unknown recipient 'bob': give their numeric user id.")
        #expect(await send("/transfer 5 9", from: 1) == "Unknown recipient: user 9 has no account.")
        #expect(await send("/transfer 5 1", from: 1) == "You cannot transfer to yourself.")
        #expect(await send("/transfer 5 1", from: 3) == "You have no account. Send /open first.")
        #expect(await send("/transfer 5", from: 1) == "Usage: /transfer AMOUNT USER_ID")
        #expect(await send("/audit", from: 1) == "Total: 200 across 2 accounts")
    }

    @Test func commandsForAnotherBotAreIgnored() async {
        let outcome = await dispatcher.handle(.make(text: "/open@other_bot", userID: 1), bot: bot)
        #expect(outcome.status == .unhandled)
        #expect(bot.calls.isEmpty)
    }

    @Test func editingATransferDoesNotRepeatIt() async throws {
        _ = await send("/open", from: 1)
        _ = await send("/open", from: 2)
        #expect(await send("/transfer 10 2", from: 1) == "Done")
        var edited = Message.make(chatID: 1, userID: 1)
        edited.text = "/transfer 10 2"
        edited.editDate = 1_700_000_100
        let outcome = await dispatcher.handle(Update(updateID: 99, kind: .editedMessage(edited)), bot: bot)
        #expect(outcome.status == .unhandled)
        #expect(await send("/balance", from: 1) == "Balance: 90")
    }

    @Test(.timeLimit(.minutes(1)))
    func concurrentTransfersNeitherCreateNorDestroyUnits() async throws {
        let users: [Int64] = [11, 22, 33, 44, 55]
        for user in users { _ = await send("/open", from: user) }
        let transfers = 4_000
        var random = SplitMix64(seed: 0x7467_626f_7464)
        let plan: [(from: Int64, to: Int64, amount: Int)] = (0..<transfers).map { index in
            let from = users[Int(random.next() % 5)]
            let to = users[(users.firstIndex(of: from)! + 1 + Int(random.next() % 4)) % 5]
            // Both directions between every pair; amounts big enough that many transfers are refused.
            return (from, to, 1 + Int(random.next() % 60))
        }
        let replies = await withTaskGroup(of: String?.self) { group in
            for (index, transfer) in plan.enumerated() {
                group.addTask {
                    let update = Update.make(
                        text: "/transfer \(transfer.amount) \(transfer.to)", userID: transfer.from,
                        updateID: Int64(1_000 + index))
                    let outcome = await dispatcher.handle(update, bot: bot)
                    return outcome.status == .handled ? "ok" : outcome.error?.description
                }
            }
            return await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(replies.count == transfers)
        #expect(replies.allSatisfy { $0 == "ok" })
        let transferReplies = bot.sentTexts.dropFirst(users.count)
        #expect(transferReplies.count == transfers)
        let done = transferReplies.filter { $0 == "Done" }.count
        let refused = transferReplies.filter { $0.hasPrefix("Insufficient funds") }.count
        #expect(done + refused == transfers)
        #expect(done > 0)
        #expect(await send("/audit", from: 11) == "Total: 500 across 5 accounts")
        let ledger = BankLedger(store: dispatcher.store)
        for user in users {
            let balance = try #require(try await ledger.balance(of: user))
            #expect(balance >= 0)
        }
    }
}

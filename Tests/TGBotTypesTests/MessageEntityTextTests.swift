import TGBotTypes
import Testing

struct MessageEntityTextTests {
    func entity(_ offset: Int64, _ length: Int64, type: String = "bold") -> MessageEntity {
        MessageEntity(type: type, offset: offset, length: length)
    }

    @Test func countsAstralEmojiAsTwoUnits() {
        let text = "👋 hi @ada"  // 👋 is U+1F44B: 2 UTF-16 units
        #expect(entity(6, 4, type: "mention").text(in: text) == "@ada")
        #expect(entity(0, 2).text(in: text) == "👋")
    }

    @Test func countsEveryScalarOfAZWJSequence() {
        let family = "👨‍👩‍👧‍👦"  // 4 astral scalars + 3 ZWJ = 11 UTF-16 units, one Character
        #expect(family.utf16.count == 11)
        let text = family + " /start"
        #expect(entity(12, 6, type: "bot_command").text(in: text) == "/start")
        #expect(entity(0, 11).text(in: text) == family)
    }

    @Test func keepsCombiningMarksWithinTheRange() {
        let text = "Cafe\u{301} e\u{301}te\u{301}"  // decomposed accents: each mark is one UTF-16 unit
        #expect(entity(0, 5).text(in: text) == "Cafe\u{301}")
        #expect(entity(6, 5).text(in: text) == "e\u{301}te\u{301}")
        // An entity may split a base letter from its mark; the scalar boundary is still valid.
        #expect(entity(0, 4).text(in: text) == "Cafe")
    }

    @Test func flagsAndSkinTones() {
        let text = "🇺🇦👍🏽x"  // flag: 2 regional indicators (4 units); thumbs + modifier (4 units)
        #expect(entity(0, 4).text(in: text) == "🇺🇦")
        #expect(entity(4, 4).text(in: text) == "👍🏽")
        #expect(entity(8, 1).text(in: text) == "x")
    }

    @Test func rejectsOutOfRangeAndSplitSurrogates() {
        let text = "a👋"
        #expect(entity(0, 4).text(in: text) == nil)
        #expect(entity(-1, 1).text(in: text) == nil)
        #expect(entity(2, 1).text(in: text) == nil)  // starts inside the surrogate pair
        #expect(entity(1, 1).text(in: text) == nil)  // ends inside it
        #expect(entity(3, 0).text(in: text) == "")
    }

    @Test func messageEntityTextsUseCaptionForMedia() {
        let chat = Chat(id: 1, type: "private")
        let message = Message(
            messageID: 1, date: 1, chat: chat, caption: "🎉 #party time",
            captionEntities: [entity(3, 6, type: "hashtag"), entity(0, 2, type: "bold")])
        #expect(message.entityTexts(ofType: "hashtag").map(\.text) == ["#party"])
        #expect(message.entityTexts().map(\.text) == ["#party", "🎉"])
    }
}

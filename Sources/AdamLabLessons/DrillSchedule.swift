// Which drill question comes next: what was answered wrong comes back soon, what was answered right
// comes back later and later (Leitner's boxes), and what was never asked is drawn in between.

import AdamLabCore

/// How one kind of question has gone: its box (1: ask again soon … 5: well known), when it is due
/// (in questions asked), and how often it was answered right and wrong at the first try.
public struct DrillItem: Codable, Equatable, Sendable {
    public var box: Int
    public var due: Int
    public var right: Int
    public var wrong: Int

    public init(box: Int, due: Int, right: Int = 0, wrong: Int = 0) {
        (self.box, self.due, self.right, self.wrong) = (box, due, right, wrong)
    }

    /// Every field is checked, as a lesson's progress is: out of range is corrupt, not a schedule.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        box = try c.decode(Int.self, forKey: .box)
        due = try c.decode(Int.self, forKey: .due)
        right = try c.decode(Int.self, forKey: .right)
        wrong = try c.decode(Int.self, forKey: .wrong)
        guard (1...DrillHistory.boxes).contains(box) else {
            throw DecodingError.dataCorruptedError(forKey: .box, in: c, debugDescription: "box \(box) is out of range")
        }
        for (key, value) in [(CodingKeys.due, due), (.right, right), (.wrong, wrong)]
        where !(0...LessonProgress.countLimit).contains(value) {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c, debugDescription: "\(key.stringValue) \(value) is out of range")
        }
    }
}

/// The drill's memory, kept in the progress file beside the lessons'.
public struct DrillHistory: Codable, Equatable, Sendable {
    /// The number of boxes; a question right at the first try moves up one, a wrong one back to box 1.
    public static let boxes = 5
    /// How many questions later a question in each box is asked again.
    public static let intervals = [2, 4, 8, 16, 32]

    /// Questions asked so far: the drill's clock.
    public var asked = 0
    public var items: [String: DrillItem] = [:]

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        asked = try c.decode(Int.self, forKey: .asked)
        items = try c.decode([String: DrillItem].self, forKey: .items)
        guard (0...LessonProgress.countLimit).contains(asked) else {
            throw DecodingError.dataCorruptedError(
                forKey: .asked, in: c, debugDescription: "asked \(asked) is out of range")
        }
        if let unknown = items.keys.first(where: { DrillKind(rawValue: $0) == nil }) {
            throw DecodingError.dataCorruptedError(
                forKey: .items, in: c, debugDescription: "'\(unknown)' is no kind of drill question")
        }
    }

    /// The kind to ask next among `kinds`: the most overdue of those due; else one never asked, drawn
    /// from `seed`; else the one due soonest.
    public func next(among kinds: [DrillKind], seed: UInt64) -> DrillKind {
        let due = kinds.compactMap { k in items[k.rawValue].map { (k, $0) } }.filter { $0.1.due <= asked }
        if let first = due.min(by: { ($0.1.due, $0.1.box, $0.0.rawValue) < ($1.1.due, $1.1.box, $1.0.rawValue) }) {
            return first.0
        }
        let unseen = kinds.filter { items[$0.rawValue] == nil }
        if !unseen.isEmpty {
            var g = SplitMix64(seed: seed ^ UInt64(asked) &* 0x9E37_79B9_7F4A_7C15)
            return unseen[Int(g.next() % UInt64(unseen.count))]
        }
        return kinds.min { (items[$0.rawValue]!.due, $0.rawValue) < (items[$1.rawValue]!.due, $1.rawValue) }!
    }

    /// Records the first answer to a question of `kind`: right moves it up a box and further away,
    /// wrong (or revealed, or skipped) back to box 1, to come back two questions later.
    public mutating func record(_ kind: DrillKind, right: Bool) {
        asked += 1
        var item = items[kind.rawValue] ?? DrillItem(box: 1, due: 0)
        if right {
            item.box = min(item.box + 1, DrillHistory.boxes)
            item.right += 1
        } else {
            item.box = 1
            item.wrong += 1
        }
        item.due = asked + DrillHistory.intervals[item.box - 1]
        items[kind.rawValue] = item
    }

    /// The seed of the question asked after `asked` questions: fresh numbers every time.
    public static func questionSeed(_ seed: UInt64, asked: Int) -> UInt64 {
        var g = SplitMix64(seed: seed &+ UInt64(asked) &* 0xD1B5_4A32_D192_ED03)
        return g.next()
    }
}

// Plots: tick values, the log axis, where a path's dots land, downsampling, and the SVG, CSV, JSON
// and HTML pages read back by real parsers.

import AdamLabCore
import AdamLabSession
import Foundation
import FoundationXML
import Testing

@testable import AdamLabLessons
@testable import AdamLabREPL
@testable import AdamLabRender

/// Parses `text` as XML; nil when it is well-formed, else the parser's error.
func xmlError(_ text: String) -> String? {
    let parser = XMLParser(data: Data(text.utf8))
    return parser.parse() ? nil : "\(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber)"
}

/// Counts the elements called `name` in well-formed XML.
final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) { counts[name, default: 0] += 1 }

    static func count(_ text: String) -> [String: Int] {
        let parser = XMLParser(data: Data(text.utf8))
        let counter = ElementCounter()
        parser.delegate = counter
        _ = parser.parse()
        return counter.counts
    }
}

@Suite("plots")
struct PlotTests {
    static let head = "---\ntitle: T\nid: t\norder: 1\n---\n"

    @Test func severalCoordinatesShareOnePlot() throws {
        let s = try session(["objective sphere noise=1 seed=3", "start 3,4", "use adam lr=0.1", "step 5"])
        let p = try s.makePlot(.coordinates([(.g, 0), (.mHat, 0), (.gradF, 1)]))
        #expect(
            p.series.map(\.label) == [
                .quantity(.g, coordinate: 0), .quantity(.mHat, coordinate: 0), .quantity(.gradF, coordinate: 1),
            ])
        // g₁[0] = 6 + 1.88983 (the first draw for seed 3, see GradientNoiseTests); ∇f₁[1] = 8.
        #expect(abs(p.series[0].points[0].y - 7.8898311649302706) < 1e-12)
        #expect(p.series[2].points[0].y == 8)
        let text = TerminalRenderer(style: Style()).render(p)
        #expect(text.hasPrefix("gₜ, m̂ₜ, ∇f over t"))
        #expect(text.contains("1 gₜ[0] →") && text.contains("3 ∇f[1] →"))
    }

    @Test(arguments: [
        (
            "plot loss foo",
            "plot draws in braille, blocks or ascii, e.g. `plot loss blocks`; to draw several quantities give each a coordinate, e.g. `plot g[0] m_hat[0]`"
        ),
        (
            "plot g[0] x",
            "plot several quantities by coordinate, e.g. `plot g[0] m_hat[0] grad_f[0]`; 'x' is not QUANTITY[i]"
        ),
        ("plot g[2]", "g[2] does not exist: g has 2 coordinates (they count from 0)"),
        ("plot s[0]", "adam has no s; it has: t theta loss g m v m_hat v_hat lr_t update theta_next"),
    ])
    func badCoordinatePlotsAreNamed(line: String, message: String) {
        let (text, _) = transcript(["use adam", "step", line])
        #expect(text.contains("error: " + message), "\(text)")
    }

    @Test func ticksAreOneTwoOrFiveTimesAPowerOfTen() {
        #expect(niceTicks(0...2000, count: 4) == [0, 500, 1000, 1500, 2000])
        #expect(niceTicks(0.3...4.7, count: 5) == [1, 2, 3, 4])
        #expect(niceTicks(0.3...4.7, count: 4) == [2, 4])
        #expect(niceTicks(-1.2...1.3, count: 5) == [-1, -0.5, 0, 0.5, 1])
        #expect(logTicks(-3.2...2.9) == [-3, -2, -1, 0, 1, 2])
        #expect(logTicks(-28.5...3.4) == [-25, -20, -15, -10, -5, 0])
    }

    @Test func aLineRunsCornerToCorner() {
        // A path from the box's bottom left to its top right: each row's dots sit on the diagonal.
        let field = LevelField(x: 0...1, y: 0...1, values: [[0, 0], [0, 0]], levels: [])
        let plot = Plot(
            kind: .path, series: [PlotSeries(label: .path, points: [PlotPoint(0, 0), PlotPoint(1, 1)])], field: field,
            title: .path)
        let text = TerminalRenderer(style: Style()).render(plot)
        let rows = text.components(separatedBy: "\n").filter { $0.contains("│") || $0.contains("┤") }
        // A square box wants 68 · 2 / 4 = 34 rows to keep a unit as long across as up; 30 is the most drawn.
        #expect(rows.count == 30)
        // What follows the axis (│, or ┤ at a tick) on each row is the canvas.
        let cells = rows.map { row -> [Character] in
            let axis = row.firstIndex { $0 == "│" || $0 == "┤" }!
            return Array(row[row.index(after: axis)...])
        }
        let width = cells[0].count
        let dotsAcross = 2 * width, dotsDown = 4 * rows.count
        for (r, line) in cells.enumerated() {
            let column = line.firstIndex { $0 != " " } ?? -99
            // The line's dot rows 4r … 4r+3 start at the lowest of them, the one furthest left.
            let x = Double(dotsDown - 1 - (4 * r + 3)) / Double(dotsDown - 1) * Double(dotsAcross - 1)
            let expected = max(0, Int((x / 2).rounded(.down)))
            #expect(abs(column - expected) <= 1, "row \(r): first dot in cell \(column), the diagonal at \(expected)")
        }
    }

    @Test func aLogAxisLabelsPowersOfTenTopDown() throws {
        let points = (0...60).map { PlotPoint(Double($0), pow(10, 3 - Double($0) / 10)) }  // 10³ down to 10⁻³
        let plot = Plot(kind: .overTime, series: [PlotSeries(label: .loss, points: points)], logY: true, title: .loss)
        let text = TerminalRenderer(style: Style()).render(plot)
        #expect(text.hasPrefix("f(θₜ) over t (log scale)\n"))
        let labels = text.components(separatedBy: "\n").compactMap { line -> String? in
            guard let tick = line.range(of: " ┤") else { return nil }
            return line[..<tick.lowerBound].trimmingCharacters(in: .whitespaces)
        }
        #expect(labels == ["10³", "10²", "10¹", "10⁰", "10⁻¹", "10⁻²", "10⁻³"], "\(text)")
        let ascii = TerminalRenderer(style: Style(unicode: false)).render(plot)
        #expect(ascii.contains("1e-3 +") && ascii.allSatisfy(\.isASCII), "\(ascii)")
    }

    @Test func aMillionPointsAreDownsampledKeepingTheExtremes() {
        var points = (0..<1_000_000).map { PlotPoint(Double($0), sin(Double($0) / 5000)) }
        points[123_457].y = 9  // one spike
        points[654_321].y = -9
        let series = PlotSeries(label: .loss, points: points).downsampled(buckets: 100)
        #expect(series.points.count <= 301)
        #expect(series.points.contains(PlotPoint(123_457, 9)) && series.points.contains(PlotPoint(654_321, -9)))
        #expect(series.points.first == points.first && series.points.last == points.last)
    }

    @Test func plotsOfARun() throws {
        let (text, _) = transcript(
            circle + ["use adam lr=0.1", "step 30", "plot loss", "plot path", "plot m_hat", "plot u", "show m_hat"])
        // f(θ₀) = 25 on the sphere: the first tick below it is 20.
        #expect(text.contains("f(θₜ) over t\n"), "\(text)")
        #expect(text.contains("θ's path on the level curves of f"))
        // A formula's minimum is not known in closed form; the sphere's is, and it is near this path.
        // Arrows at recorded steps nearest to six evenly spaced t; θ now marked at the path's end.
        #expect(
            text.contains("\n○ θ₀ = (3, 4)   ● θ now (0.419777, 1.27574)\narrows: Δθ at t = 1, 7, 13, 18, 24, 30\n"),
            "\(text)")
        let (sphere, _) = transcript(["objective sphere", "start 3,4", "use adam lr=0.1", "step 30", "plot path"])
        #expect(
            sphere.hasSuffix(
                "○ θ₀ = (3, 4)   ● θ now (0.419777, 1.27574)   ★ minimum (0, 0)\narrows: Δθ at t = 1, 7, 13, 18, 24, 30"
            ),
            "\(sphere)")
        // Each series' last value in the legend: m̂₃₀, as `show m_hat` prints it.
        #expect(text.contains("1 m̂ₜ[0] → 2.11519   2 m̂ₜ[1] → 3.98703"), "\(text)")
        #expect(text.contains("0 │ 2.11519\n1 │ 3.98703"), "\(text.suffix(200))")
        #expect(text.contains("error: adam has no u; it has:"))
        let (flat, _) = transcript(["objective rastrigin", "start 1,2,3", "step", "plot path"])
        #expect(flat.contains("error: plot path needs two coordinates and θ has 3; `plot theta` draws each over t"))
        let (none, _) = transcript(["plot loss"])
        #expect(none.contains("error: no steps yet"))
    }

    @Test func exportsReadBack() throws {
        var files: [String: String] = [:]
        let s = Session(style: Style(), write: { _ in })
        s.writeFile = { files[$0] = $1 }
        for line in circle + ["use adam lr=0.1", "step 3", "export csv h.csv", "export json h.json", "plot path"] {
            try s.execute(line)
        }
        try s.execute("export svg p.svg")
        try s.execute("export csv p.csv")
        let history = try #require(files["h.csv"]).components(separatedBy: "\n").filter { !$0.isEmpty }
        #expect(history.count == 4 && history[0].hasPrefix("t,theta[0],theta[1],loss,g[0],g[1],m[0]"), "\(history[0])")
        // Seed 004: Δθ₁ = −0.1 in both coordinates, written with all its digits.
        // m₁ = (1 − 0.9)·6 in doubles, as Python's (1 - 0.9) * 6 gives it.
        #expect(history[1].hasPrefix("1,3.0,4.0,25.0,6.0,8.0,0.5999999999999999,"), "\(history[1])")
        let jsonText = try #require(files["h.json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(jsonText.utf8)) as? [String: Any])
        #expect((json["steps"] as? [Any])?.count == 3)
        let svg = try #require(files["p.svg"])
        #expect(xmlError(svg) == nil, "\(xmlError(svg) ?? "")")
        let counts = ElementCounter.count(svg)
        // The path, the start and θ now; the minimum (0, 0) is far from a three-step path and left out of its box.
        #expect(counts["svg"] == 1 && counts["polyline"] == 1 && counts["circle"] == 2 && counts["polygon"] == nil)
        #expect(counts["path"] ?? 0 >= 8, "\(counts)")  // the arrow head, and a path per level curve
        // No script, and nothing fetched: the only address in it is the SVG namespace.
        #expect(!svg.contains("<script"))
        #expect(svg.contains("xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(!svg.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http"))
        let csv = try #require(files["p.csv"])
        #expect(csv.hasPrefix("series,x,y\n\"θ\",3.0,4.0\n"), "\(csv.prefix(80))")
        #expect(throws: SessionError.self) { try Session(style: Style(), write: { _ in }).execute("export svg x.svg") }
    }

    @Test func aLongRunPlotsEveryStep() throws {
        let s = try session(circle + ["use momentum lr=0.1 momentum=0.95", "run 300"])
        let plot = try s.makePlot(.loss)
        #expect(plot.series[0].points.count == 301)
        // f(θ₂) by hand: θ₁ = (3, 4) − 0.1·(6, 8) = (2.4, 3.2); buf₂ = 0.95·(6, 8) + (4.8, 6.4) = (10.5, 14);
        // θ₂ = (1.35, 1.8), f = 1.35² + 1.8² = 5.0625.
        #expect(abs(plot.series[0].points[2].y - 5.0625) < 1e-12, "\(plot.series[0].points[2])")
        try s.execute("back 100")
        #expect(try s.makePlot(.loss).series[0].points.count == 201)
    }

    @Test func exportsNeverReplaceDevicesAndFollowLinks() throws {
        let dir = scratch("export")
        let s = try session(circle + ["use adam lr=0.1", "step 2", "plot loss"])
        #expect(throws: SessionError.self) { try s.execute("export svg /dev/full") }
        var info = stat()
        #expect(stat("/dev/full", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
        try "old".write(toFile: dir + "/target.svg", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.svg", withDestinationPath: dir + "/target.svg")
        try s.execute("export svg \(dir)/link.svg")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.svg") == dir + "/target.svg")
        #expect(try String(contentsOfFile: dir + "/target.svg", encoding: .utf8).hasPrefix("<svg"))
        do {
            try s.execute("export csv \(dir)/no/such/folder.csv")
            Issue.record("wrote into a missing folder")
        } catch let e as SessionError {
            #expect(e.message == "cannot write \(dir)/no/such/folder.csv: its folder does not exist")
        }
    }

    @Test func aLessonPageIsWellFormedAndHidesItsAnswers() throws {
        let lesson = try LessonLibrary(directory: shippedLessons).find("adam-one-step")
        let page = try HTMLLessonRenderer().render(lesson, session: Session())
        #expect(xmlError(page) == nil, "\(xmlError(page) ?? "")")
        let counts = ElementCounter.count(page)
        let hints = lesson.exercises.map(\.hints.count).reduce(0, +)
        #expect(counts["details"] == lesson.exercises.count + hints)
        #expect(counts["h1"] == 1 && counts["script"] == nil)
        #expect(page.contains("<p class=\"answer\">-0.1</p>"))
        // A lesson with a plot has it inline.
        let text = PlotTests.head + "```adamlab\nuse adam lr=0.1\nstep 5\nplot path\n```\n"
        let withPlot = try HTMLLessonRenderer().render(try Lesson(text: text, path: "p.md"), session: Session())
        #expect(xmlError(withPlot) == nil && ElementCounter.count(withPlot)["svg"] == 1)
    }

    @Test func aPlotInALessonIsVerifiedLikeAnyOutput() throws {
        let body = "```adamlab\nuse adam lr=0.1\nstep 4\nplot loss\n```\n"
        let draft = PlotTests.head + body + "\n```expected\n```\n"
        let (_, fixed) = LessonPlayer.verify(
            try Lesson(text: draft, path: "v.md"), text: draft, session: Session(),
            render: TerminalRenderer(style: Style()).render)
        #expect(fixed.contains("f(θₜ) over t") && fixed.contains("⠈"), "\(fixed)")
        let (problems, _) = LessonPlayer.verify(
            try Lesson(text: fixed, path: "v.md"), text: fixed, session: Session(),
            render: TerminalRenderer(style: Style()).render)
        #expect(problems.isEmpty, "\(problems)")
        let drifted = fixed.replacingOccurrences(of: "lr=0.1", with: "lr=0.2")
        let (drift, _) = LessonPlayer.verify(
            try Lesson(text: drifted, path: "v.md"), text: drifted, session: Session(),
            render: TerminalRenderer(style: Style()).render)
        #expect(drift.count == 1 && drift[0].contains("v.md:"), "\(drift)")
    }
}

/// One coordinate has no plane to draw a path in: `plot path` draws θ over t (it crashed once), from θ₀
/// at t = 0 to θ now; `plot theta` does so in any dimension, one line per coordinate.
@Test func aOneDimensionalPathIsThetaOverTime() throws {
    let s = Session(style: Style(), write: { _ in })
    try s.execute("objective f(x) = x^2")
    try s.execute("step 3")
    let p = try s.makePlot(.path)
    #expect(p.kind == .overTime && p.series.count == 1)
    // x² from 1 with Adam lr 0.1: 1, 0.9, 0.800412, 0.701586 (the step tables' θₜ).
    let ys = p.series[0].points.map(\.y)
    #expect(p.series[0].points.map(\.x) == [0, 1, 2, 3])
    #expect(zip(ys, [1, 0.9, 0.800412, 0.701586]).allSatisfy { abs($0 - $1) < 5e-7 }, "\(ys)")
    let (text, exit) = transcript(["objective rastrigin", "start 2.5", "run 20", "plot path", "plot theta"])
    #expect(exit == .ok && text.components(separatedBy: "θₜ over t").count == 3, "\(text.suffix(300))")
    let (three, _) = transcript(["objective sphere", "start 1,2,3", "step", "plot path", "plot theta"])
    #expect(three.contains("error: plot path needs two coordinates and θ has 3; `plot theta` draws each over t"))
    #expect(three.contains("θₜ over t"))
}

/// Three optimizers whose paths share cells (lesson 2's compare on Rosenbrock from (0, 0)): every one
/// is told apart, in the terminal by its number at its end, in the SVG by an end marker where its
/// run ended (the compare table's final θ) and a legend entry with that value; the SVG has a title, a
/// text alternative, and ids of its own.
@Test func comparedPathsAreToldApart() throws {
    var files: [String: String] = [:]
    let session = Session(style: Style(), write: { _ in })
    session.writeFile = { files[$0] = $1 }
    var out: [String] = []
    let terminal = TerminalOutput(style: Style(), write: { out.append($0) })
    session.output = terminal.show
    for c in [
        "objective rosenbrock", "start 0,0",
        "compare sgd lr=0.001 momentum lr=0.001 nesterov lr=0.001 steps=1000 plot=path", "export svg c.svg",
    ] { try session.execute(c) }
    let text = out.joined(separator: "\n")
    let plotRows = text.components(separatedBy: "\n").filter { $0.contains("│") || $0.contains("┤") }
    for k in ["1", "2", "3"] { #expect(plotRows.contains { $0.contains(k) }, "series \(k) has no end mark") }
    // The table's final θ, and the legend's.
    #expect(text.contains("sgd lr=0.001      │  (0.673886, 0.45256)"))
    #expect(text.contains("1 sgd lr=0.001 → (0.673886, 0.45256)"), "\(text.suffix(400))")
    let svg = try #require(files["c.svg"])
    #expect(xmlError(svg) == nil)
    let counts = ElementCounter.count(svg)
    #expect(counts["polyline"] == 3 && counts["title"] == 1 && counts["desc"] == 1)
    #expect(svg.components(separatedBy: "<g class=\"end\">").count == 4)
    #expect(svg.contains("role=\"img\"") && svg.contains("aria-labelledby=\"plot-title plot-desc\""))
    #expect(svg.contains("<desc id=\"plot-desc\">θ's path on the level curves of f, one path per optimizer; 1 sgd"))
    // Okabe–Ito: no red next to green.
    #expect(svg.contains("#0072B2") && svg.contains("#E69F00") && svg.contains("#009E73"))
}

/// Tick labels never run past the axis, and one axis has one format, at every width and run length.
@Test func tickLabelsStayInsideTheAxis() throws {
    for width in [40, 72, 120, 200] {
        for steps in [1.0, 999, 1_000_000, 10_000_000, 100_000_000] {
            var style = Style()
            style.width = width
            let plot = Plot(
                kind: .overTime,
                series: [PlotSeries(label: .loss, points: [PlotPoint(0, 1), PlotPoint(steps, 0.5)])], title: .loss)
            let lines = TerminalRenderer(style: style).render(plot).components(separatedBy: "\n")
            let axis = try #require(lines.firstIndex { $0.contains("└") })
            #expect(cells(lines[axis + 1]) <= cells(lines[axis]), "width \(width), \(steps) steps: \(lines[axis + 1])")
            let labels = lines[axis + 1].split(separator: " ").map(String.init)
            let scientific = labels.filter { $0.contains("e") }
            #expect(scientific.isEmpty || scientific.count == labels.filter { $0 != "0" }.count, "\(labels)")
        }
    }
}

/// A table wider than the terminal is printed as records, one value a line, rather than cut by the
/// terminal mid-word; in a script (no terminal) tables stay tables.
@Test func wideTablesBecomeRecordsOnANarrowTerminal() {
    var narrow = Style()
    narrow.columns = 60
    narrow.width = 59
    let (text, _) = transcript(["compare adam sgd steps=500"], style: narrow)
    #expect(text.contains("adam lr=0.001\n  final θ: (2.51887, 3.51402)\n  f(θ): 18.6931"), "\(text)")
    #expect(text.components(separatedBy: "\n").allSatisfy { cells($0) < 60 }, "\(text)")
    let (script, _) = transcript(["compare adam sgd steps=500"])
    #expect(script.contains("optimizer     │"))
}

/// A compare in which one run blows up: the y axis fits the others (Adam's loss on Rosenbrock stays
/// between 1.4 and 2504 here, so no tick below 10⁰), the cut-off is in the title, and the legend says
/// when the run left the plot.
@Test func aDivergingRunNeitherStretchesNorFlattensTheOthers() {
    let (text, _) = transcript(["objective rosenbrock", "compare adam lr=0.02 sgd lr=0.01 steps=200 plot"])
    #expect(text.contains("f(θₜ) over t (log scale, cut off above 2.504e+07)"), "\(text)")
    #expect(!text.contains("10⁻"), "\(text)")
    #expect(text.hasSuffix("1 adam lr=0.02 → 1.43917   2 sgd lr=0.01 → diverged at step 6"), "\(text.suffix(200))")
}

/// A run the history can hold is kept whole: after `run 500` a plot has a point for every step (501
/// with θ₀'s), and `plot path` after `run 300` goes through every step; a run too long to keep keeps its
/// first step and says how far apart its points are.
@Test func aRunIsPlottedFromEveryStep() throws {
    let s = Session(style: Style(), write: { _ in })
    try s.execute("run 500")
    #expect(try s.makePlot(.quantity(.mHat)).series[0].points.count == 500)
    #expect(try s.makePlot(.loss).series[0].points.count == 501)
    #expect(try s.makePlot(.quantity(.mHat)).stepsApart == nil)
    let p = Session(style: Style(), write: { _ in })
    try p.execute("objective rosenbrock")
    try p.execute("run 300")
    #expect(try p.makePlot(.path).series[0].points.count == 301)
    let long = Session(style: Style(), write: { _ in })
    try long.execute("objective rosenbrock")
    try long.execute("run 1000000")
    #expect(long.history.first?.t == 1)
    let thinned = try long.makePlot(.quantity(.mHat))
    #expect(thinned.stepsApart == 10000, "\(thinned.stepsApart ?? 0)")
    let (text, _) = transcript(["objective rosenbrock", "run 1000000", "plot m_hat"])
    #expect(text.contains("m̂ₜ over t (a point every 10000 steps)"), "\(text.suffix(300))")
}

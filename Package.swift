// swift-tools-version:6.0
import Foundation
import PackageDescription

// The numeric core is compiled for AVX2 + FMA on x86-64, so the program needs a CPU that has them (any
// x86-64 since 2013). Its kernels fuse a multiply and an add exactly where PyTorch's compiled kernels
// do, written out as fma(); those must be instructions, not library calls, for the loops to vectorize,
// and -ffp-contract=off keeps the C compiler from fusing any others.
//
// The core is optimised in debug builds too: the test suite plays every lesson many times, and a
// lesson that trains a network for a hundred steps takes twenty times as long unoptimised.
let optimisedAlways: SwiftSetting = .unsafeFlags(["-O"], .when(configuration: .debug))
#if arch(x86_64)
    let coreSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"]), optimisedAlways]
    let kernelSettings: [CSetting] = [.unsafeFlags(["-O3", "-mavx2", "-mfma", "-ffp-contract=off", "-fno-math-errno"])]
#else
    let coreSettings: [SwiftSetting] = [optimisedAlways]
    let kernelSettings: [CSetting] = [.unsafeFlags(["-O3", "-ffp-contract=off", "-fno-math-errno"])]
#endif

let package = Package(
    name: "adamlab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "adamlab", targets: ["adamlab"]),
        .library(name: "AdamLabCore", targets: ["AdamLabCore"]),
        .library(name: "AdamLabSession", targets: ["AdamLabSession"]),
        .library(name: "AdamLabLessons", targets: ["AdamLabLessons"]),
        .library(name: "AdamLabRender", targets: ["AdamLabRender"]),
        .library(name: "AdamLabREPL", targets: ["AdamLabREPL"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        // The long-vector Adam loop in C, where it vectorizes fully. Part of the core: no I/O.
        .target(
            name: "CAdamKernel",
            cSettings: kernelSettings
        ),
        // Numbers only: optimizers, objectives, runs, reference checks. No I/O, no text.
        .target(
            name: "AdamLabCore",
            dependencies: ["CAdamKernel", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: coreSettings
        ),
        // Ctrl-C as one process-wide flag raised by a SIGINT handler (C, so the handler is async-signal-safe).
        .target(name: "CInterrupt"),
        // libedit, as a system library: imported by the REPL module only.
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // cmark, the CommonMark reference library, as a system library: used by the lesson module only.
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        // Commands as values (one grammar, one parser), the session, and the user's files (read, and
        // written atomically). Output values, no text, no terminal.
        .target(
            name: "AdamLabSession",
            dependencies: ["AdamLabCore"]
        ),
        // Lesson files to value types; the one lesson player (actions in, events out), verification,
        // exercises, progress. No text, no terminal.
        .target(
            name: "AdamLabLessons",
            dependencies: ["AdamLabCore", "AdamLabSession", "CCmark"]
        ),
        // The renderers: pure functions from values (outputs, plots, lesson events, class reports) to
        // terminal text, SVG and HTML. No terminal of their own, no line editor.
        .target(
            name: "AdamLabRender",
            dependencies: ["AdamLabCore", "AdamLabSession", "AdamLabLessons"]
        ),
        // The line editor (libedit), the prompt loop and lesson mode's key handling.
        .target(
            name: "AdamLabREPL",
            dependencies: [
                "AdamLabCore", "AdamLabSession", "AdamLabLessons", "AdamLabRender", "CEditLine", "CInterrupt",
            ]
        ),
        // @main: argument parsing and wiring.
        .executableTarget(
            name: "adamlab",
            dependencies: [
                "AdamLabCore",
                "AdamLabSession",
                "AdamLabLessons",
                "AdamLabRender",
                "AdamLabREPL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "AdamLabCoreTests",
            dependencies: ["AdamLabCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "AdamLabLessonsTests",
            dependencies: ["AdamLabLessons", "AdamLabSession", "AdamLabRender", "AdamLabCore"]
        ),
        .testTarget(
            name: "AdamLabREPLTests",
            dependencies: [
                "AdamLabREPL", "AdamLabRender", "AdamLabSession", "AdamLabCore", "AdamLabLessons", "adamlab",
            ]
        ),
    ]
)

// The libFuzzer target (fuzz/README.md), only when asked for: its main hands over to libFuzzer's
// driver, which exists only under -sanitize=fuzzer, so an ordinary build would not link it.
if ProcessInfo.processInfo.environment["ADAMLAB_FUZZ"] != nil {
    package.targets.append(
        .executableTarget(
            name: "AdamLabFuzz",
            dependencies: ["AdamLabCore", "AdamLabSession", "AdamLabLessons", "AdamLabRender", "AdamLabREPL"])
    )
}

// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "adamlab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "adamlab", targets: ["adamlab"]),
        .library(name: "AdamLabCore", targets: ["AdamLabCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        // Numbers only: optimizers, objectives, traces, reference checks. No I/O.
        .target(
            name: "AdamLabCore",
            dependencies: [.product(name: "RealModule", package: "swift-numerics")]
        ),
        // @main: argument parsing and wiring.
        .executableTarget(
            name: "adamlab",
            dependencies: [
                "AdamLabCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "AdamLabCoreTests",
            dependencies: ["AdamLabCore"],
            resources: [.copy("Fixtures")]
        ),
    ]
)

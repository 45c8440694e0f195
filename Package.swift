// swift-tools-version: 6.2
import PackageDescription

/// How the daemon is linked on Linux, to keep its idle resident memory down (it maps its own 100+ MB static
/// binary, so every page the loader touches at start stays resident):
/// - lld (shipped in the toolchain) with `-z pack-relative-relocs`: DT_RELR (glibc ≥ 2.36) stores the relative
///   relocations of the Swift metadata as a bitmap instead of a 2.7 MB `.rela.dyn` the loader reads in full;
/// - `--no-export-dynamic`, undoing the `-export-dynamic` of the toolchain's `static-stdlib-args.lnk`: nothing
///   dlopens into the daemon or looks its symbols up with `dlsym` (backtraces read `.symtab` from the file), so
///   the ~1 MB `.dynsym`/`.dynstr`/`.gnu.hash` of every Swift symbol is dead weight;
/// - `--symbol-ordering-file scripts/link/tgbotd.order`: the ~3,800 functions that start, serve and stop the
///   daemon (recorded by `scripts/link/record-order` under callgrind) are laid out together. They total ~1.2 MB,
///   but scattered over 20 MB of code each one kept a 64 KB fault-around window resident. Functions missing from
///   the list (renamed since it was recorded) are laid out as usual, so a stale list costs memory, not correctness.
let daemonLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(
        [
            "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic",
            "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/scripts/link/tgbotd.order",
            "-Xlinker", "--no-warn-symbol-ordering",
        ],
        .when(platforms: [.linux])
    )
]

let package = Package(
    name: "tgbotd",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TGBot", targets: ["TGBot"]),
        .library(name: "TGBotTypes", targets: ["TGBotTypes"]),
        .library(name: "TGBotHTTP", targets: ["TGBotHTTP"]),
        .library(name: "TGBotAPI", targets: ["TGBotAPI"]),
        .library(name: "TGBotURLSession", targets: ["TGBotURLSession"]),
        .library(name: "TGBotDispatch", targets: ["TGBotDispatch"]),
        .library(name: "TGBotStore", targets: ["TGBotStore"]),
        .executable(name: "tgbotd", targets: ["tgbotd"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        .target(name: "CTGBotLinux"),
        .target(
            name: "TGBotHTTP",
            dependencies: ["CTGBotLinux", "COpenSSL", .product(name: "Logging", package: "swift-log")]
        ),
        // OpenSSL's headers (libssl-dev) and a loader that dlopens libssl on first https use: not linked.
        .target(name: "COpenSSL", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(name: "TGBotTypes"),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "TGBotStore", dependencies: ["CSQLite", "TGBotTypes", "TGBotDispatch"]),
        .executableTarget(name: "generate-bot-api"),
        .executableTarget(
            name: "tgbotd-bench-decode", dependencies: ["TGBotTypes"], path: "Benchmarks/DecodeBenchmark"
        ),
        .target(
            name: "TGBotAPI",
            dependencies: ["TGBotTypes", "TGBotHTTP", .product(name: "Logging", package: "swift-log")]
        ),
        // URLSession (FoundationNetworking + libcurl) as an optional Bot API transport; not linked by default.
        .target(
            name: "TGBotURLSession", dependencies: ["TGBotAPI"]
        ),
        .target(
            name: "TGBotDispatch",
            dependencies: ["TGBotTypes", "TGBotAPI", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "TGBotExamples",
            dependencies: ["TGBotTypes", "TGBotAPI", "TGBotDispatch"]
        ),
        .target(
            name: "TGBot",
            dependencies: [
                "TGBotHTTP", "TGBotTypes", "TGBotAPI", "TGBotDispatch", "TGBotStore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TGBotTesting",
            dependencies: ["TGBotHTTP", "TGBotTypes", "TGBotAPI", .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "tgbotd-fake-bot-api", dependencies: ["TGBotTesting", "TGBotHTTP"], path: "Benchmarks/FakeBotAPI"
        ),
        .executableTarget(
            name: "tgbotd",
            dependencies: [
                "TGBot", "TGBotHTTP", "TGBotTypes", "TGBotAPI", "TGBotDispatch", "TGBotExamples", "TGBotStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: daemonLinkerSettings
        ),
        .testTarget(name: "TGBotHTTPTests", dependencies: ["TGBotHTTP", "TGBotTesting"]),
        .testTarget(
            name: "TGBotAPITests",
            dependencies: [
                "TGBotAPI", "TGBotTypes", "TGBotTesting", "TGBotHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "TGBotDispatchTests",
            dependencies: [
                "TGBotDispatch", "TGBotExamples", "TGBotAPI", "TGBotTypes", "TGBotTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "TGBotStoreTests",
            dependencies: ["TGBotStore", "TGBotTypes", "TGBotDispatch", "TGBotExamples", "CSQLite"]
        ),
        .testTarget(name: "TGBotTypesTests", dependencies: ["TGBotTypes"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "TGBotTests",
            dependencies: [
                "TGBot", "TGBotHTTP", "TGBotTypes", "TGBotTesting", "TGBotAPI", "TGBotDispatch", "TGBotExamples",
                "TGBotStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
    ]
)

/// Settings every target shares: Swift 6 strict concurrency plus the upcoming features the house style
/// asks for, enabled from the start because switching later changes where code runs.
let commonSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
]
for target in package.targets where target.type != .system && !target.name.hasPrefix("C") {
    target.swiftSettings = (target.swiftSettings ?? []) + commonSettings
}

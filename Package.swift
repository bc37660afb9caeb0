// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "dropdial",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dropdial", targets: ["dropdial"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        // The HTTP service; without the swift-configuration trait (dropdial reads its own TOML).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Already built for Hummingbird; its NIOHTTPTypes parts let the server answer 100-continue.
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        // Metrics: counted through swift-metrics, exported in Prometheus text format on /metrics.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The dashboard's pages: logic-less templates, HTML-escaped by default (SPEC §10).
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // System libraries (Debian -dev packages).
        .systemLibrary(name: "CZip", pkgConfig: "libzip", providers: [.apt(["libzip-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CXLSXWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        // The PostgreSQL engine's client (SPEC §11): libpq, blocking like the rest of the store, with COPY.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // libphonenumber behind a small C shim.
        .target(
            name: "CPhoneNumber",
            cxxSettings: [.unsafeFlags(["-std=c++17"])],
            linkerSettings: [.linkedLibrary("phonenumber"), .linkedLibrary("protobuf"), .linkedLibrary("pcre2-8"),
                             .linkedLibrary("stdc++")]
        ),

        // SQLite's process-wide settings, made before the first connection (sqlite3_config is a
        // C variadic function, which Swift cannot call).
        .target(name: "CSQLiteSetup", linkerSettings: [.linkedLibrary("sqlite3")]),

        // Small facts every layer shares: the civil-day calendar, timestamps, the JSON style.
        .target(name: "DropdialBase"),
        // Layer 1: readers — CSV, XLSX, XLS into one row stream.
        .target(name: "DropdialReaders", dependencies: ["DropdialBase", "CZip", "CLibXML2"]),
        // Configuration: inbox and batch settings, TOML file.
        .target(name: "DropdialConfig", dependencies: ["DropdialBase", "TOMLKit"]),
        // Pickup: noticing, settling, claiming and archiving dropped files (inotify or polling).
        .target(name: "DropdialPickup", dependencies: ["DropdialConfig", "DropdialReaders"]),
        // Layer 2: import — header mapping, validation, phone normalization, reports.
        .target(name: "DropdialImport", dependencies: [
            "DropdialBase", "DropdialReaders", "DropdialConfig", "DropdialTimezones", "CPhoneNumber",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Layer 3: store — schema, migrations, queries; commits what the import validated. Two
        // engines behind one contract: SQLite (GRDB) and PostgreSQL (libpq).
        .target(name: "DropdialStore", dependencies: [
            "DropdialBase", "DropdialConfig", "DropdialReaders", "DropdialImport", "CLibPQ", "CSQLiteSetup",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Writers: the files people open in a spreadsheet (CSV with formula guards, XLSX).
        .target(name: "DropdialWriters", dependencies: ["DropdialBase", "CXLSXWriter"]),
        // Layer 4: dialer — rules, scheduler, backends.
        .target(name: "DropdialDialer", dependencies: [
            "DropdialBase", "DropdialConfig", "DropdialStore", "DropdialImport", "DropdialTimezones",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "HeapModule", package: "swift-collections"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Layer 5: server — the HTTP API (SPEC §8): keys, routes, health.
        .target(name: "DropdialServer", dependencies: [
            "DropdialBase", "DropdialConfig", "DropdialStore", "DropdialImport", "DropdialPickup", "DropdialReaders",
            "DropdialWriters", "DropdialDialer",
            .product(name: "DequeModule", package: "swift-collections"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The daemon: one pickup service per inbox (claim → import → archive), in a ServiceGroup.
        .target(name: "DropdialDaemon", dependencies: [
            "DropdialPickup", "DropdialImport", "DropdialStore", "DropdialConfig", "DropdialDialer", "DropdialBase",
            "DropdialServer", "DropdialWriters",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Phone prefix → time zones (generated from libphonenumber's map, see scripts/make_prefix_timezones.py).
        .target(name: "DropdialTimezones"),
        // The thin executable: argument parsing and wiring.
        .executableTarget(name: "dropdial", dependencies: [
            "DropdialReaders", "DropdialImport", "DropdialStore", "DropdialConfig", "DropdialDaemon", "DropdialDialer",
            "DropdialPickup", "DropdialBase", "DropdialWriters", "DropdialServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // One test kit shared by every test target: scratch folders and stores, fixture imports,
        // literal rows, a seeded generator, and the built binary and daemon under test.
        .target(name: "DropdialTestKit", dependencies: [
            "DropdialStore", "DropdialImport", "DropdialReaders", "DropdialConfig",
            .product(name: "GRDB", package: "GRDB.swift"),
        ], path: "Tests/DropdialTestKit"),

        .testTarget(name: "DropdialBaseTests", dependencies: ["DropdialBase", "DropdialTestKit"]),
        .testTarget(name: "DropdialReadersTests", dependencies: ["DropdialReaders", "CZip", "DropdialTestKit"]),
        .testTarget(name: "DropdialImportTests", dependencies: ["DropdialImport", "DropdialReaders", "DropdialConfig",
                                                               "DropdialTestKit"]),
        .testTarget(name: "DropdialStoreTests", dependencies: [
            "DropdialStore", "DropdialImport", "DropdialReaders", "DropdialConfig", "DropdialTestKit",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "DropdialConfigTests", dependencies: ["DropdialConfig", "DropdialTestKit"]),
        .testTarget(name: "DropdialPickupTests", dependencies: ["DropdialPickup", "DropdialTestKit"]),
        .testTarget(name: "DropdialDialerTests", dependencies: [
            "DropdialDialer", "DropdialStore", "DropdialImport", "DropdialConfig", "DropdialBase", "DropdialTestKit",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], exclude: ["Support/provider_server.py"]),
        .testTarget(name: "DropdialDaemonTests", dependencies: [
            "DropdialDaemon", "DropdialImport", "DropdialStore", "DropdialConfig", "DropdialTestKit",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "DropdialServerTests", dependencies: ["DropdialServer", "DropdialConfig", "DropdialTestKit"]),
        .testTarget(name: "DropdialWritersTests", dependencies: ["DropdialWriters", "DropdialReaders", "DropdialTestKit"]),
        .testTarget(name: "EndToEndTests", dependencies: ["dropdial", "DropdialTestKit"]),
        .testTarget(name: "DropdialTimezonesTests", dependencies: ["DropdialTimezones"], resources: [.copy("oracle.tsv")]),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)

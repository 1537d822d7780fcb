// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "RemoteWindow",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "windowd", targets: ["windowd"]),
        .executable(name: "kiosk", targets: ["kiosk"]),
        .executable(name: "windowbench", targets: ["windowbench"]),
        .executable(name: "windowctl", targets: ["windowctl"]),
        .library(name: "WindowCore", targets: ["WindowCore"]),
        .library(name: "WindowStore", targets: ["WindowStore"]),
        .library(name: "WindowServer", targets: ["WindowServer"]),
    ],
    dependencies: [
        // `traits: []` keeps Hummingbird's trait flags stable, so builds don't recompile it at random.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        // The domain: catalog items, tickets, clerks, routing. Pure values and functions, no I/O.
        .target(
            name: "WindowCore",
            swiftSettings: swiftSettings
        ),
        // Persistence: GRDB migrations, records, catalog seeding.
        .target(
            name: "WindowStore",
            dependencies: [
                "WindowCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Hummingbird application: routes, auth, TLS, errors.
        .target(
            name: "WindowServer",
            dependencies: [
                "WindowCore",
                "WindowStore",
                "WindowAPITypes",
                "WindowConsole",
                "WindowFiles",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        // The web console's pages, scripts and styles, served by WindowServer under /console/.
        .target(
            name: "WindowConsole",
            resources: [.copy("console")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "windowd",
            dependencies: [
                "WindowServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Files only their owner may read (keys, credentials, scans), for the server and its clients.
        .target(
            name: "WindowFiles",
            swiftSettings: swiftSettings
        ),
        // What the API sends and receives, defined once for the server and its clients.
        .target(
            name: "WindowAPITypes",
            dependencies: ["WindowCore"],
            swiftSettings: swiftSettings
        ),
        // Typed client of the API (HTTPS + WSS), shared by the kiosk client and tools.
        .target(
            name: "WindowClient",
            dependencies: [
                "WindowCore",
                "WindowAPITypes",
                "WindowFiles",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The kiosk's interaction screen: screens, state machine and rendering, no terminal I/O.
        .target(
            name: "KioskCore",
            dependencies: ["WindowCore", "WindowClient"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kiosk",
            dependencies: [
                "KioskCore",
                "WindowClient",
                "WindowCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Managers' and admins' command line: clerks, sites, kiosks, the live queue, the catalog.
        .executableTarget(
            name: "windowctl",
            dependencies: [
                "WindowClient",
                "WindowCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "windowbench",
            dependencies: [
                "WindowCore",
                "WindowServer",
                "WindowStore",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KioskCoreTests",
            dependencies: ["KioskCore", "WindowCore", "WindowClient"],
            swiftSettings: swiftSettings
        ),
        // The API client against a real windowd in the same process (TLS, WSS, reconnects).
        .testTarget(
            name: "WindowClientTests",
            dependencies: [
                "WindowClient",
                "WindowCore",
                "WindowServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WindowCoreTests",
            dependencies: [
                "WindowCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WindowStoreTests",
            dependencies: ["WindowStore", "WindowCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WindowServerTests",
            dependencies: [
                "WindowServer",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

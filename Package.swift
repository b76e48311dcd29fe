// swift-tools-version:6.0
//
// Padu: a plugin-based ETL pipeline daemon for the offices eliminating extreme poverty.
// One package, no package dependencies: the toolchain plus system C libraries.

import PackageDescription

/// Every registered plugin is one target under `Plugins/<plugin-name>/`.
/// Adding a plugin = one entry here + one line in `Sources/PaduPlugins/BuiltinPlugins.swift`.
let pluginTargets: [(target: String, folder: String, dependencies: [Target.Dependency])] = [
    ("SocialRegistryPlugin", "social-registry", ["PaduCore", "PaduFormats"]),
    ("RequireFieldsPlugin", "require-fields", ["PaduCore"]),
    ("WarehouseSinkPlugin", "warehouse", ["PaduCore", "PaduWarehouse", "PaduReference"]),
    ("BPSTablePlugin", "bps-table", ["PaduCore", "PaduFormats"]),
    ("CSRSpreadsheetPlugin", "csr-spreadsheet", ["PaduCore", "PaduFormats"]),
    ("BaznasExportPlugin", "baznas-export", ["PaduCore", "PaduFormats"]),
    ("ValidateIdentityPlugin", "validate-identity", ["PaduCore", "PaduReference"]),
    ("NormalizeNamePlugin", "normalize-name", ["PaduCore", "PaduReference"]),
    ("ResolveRegionPlugin", "resolve-region", ["PaduCore", "PaduReference"]),
    ("MapProgramPlugin", "map-program", ["PaduCore", "PaduFormats"]),
    ("MatchIdentityPlugin", "match-identity", ["PaduCore", "PaduReference", "PaduWarehouse"]),
    ("RegionCrosswalkPlugin", "region-crosswalk", ["PaduCore", "PaduFormats", "PaduReference"]),
]

let package = Package(
    name: "Padu",
    products: [
        .executable(name: "padu", targets: ["padu"]),
        // What pipeline files import; a dynamic library like SwiftPM's PackageDescription.
        .library(name: "PipelineDescription", type: .dynamic, targets: ["PipelineDescription"]),
    ],
    targets: [
        // System libraries.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // The pipeline-file API (compiled into every pipeline file; no other dependency).
        .target(name: "PipelineDescription"),

        // Engine: values, schemas, batches, stage protocols, plugin registry, runner.
        .target(name: "PaduCore"),
        // Streaming readers and Indonesian value parsing.
        .target(name: "PaduFormats", dependencies: ["PaduCore", "CLibXML2", "CZlib"]),
        // Reference data shipped with Padu (the Kemendagri region list, historical kecamatan codes)
        // and the identity rules built on it: NIK/KK validation, name normalisation.
        .target(name: "PaduReference", dependencies: ["PaduCore"], resources: [.copy("Resources")]),
        // SQLite warehouse: connection, migrations, run/input/quarantine stores, consolidated tables.
        .target(name: "PaduWarehouse", dependencies: ["PaduCore", "CSQLite"]),
        // The reports the offices ask for (overlap, exclusion, inclusion, coverage, graduation, person).
        .target(name: "PaduReports", dependencies: ["PaduCore", "PaduWarehouse", "PaduReference", "PaduFormats"]),
        // The one list of built-in plugins.
        .target(name: "PaduPlugins", dependencies: ["PaduCore", "PaduReference"] + pluginTargets.map { .target(name: $0.target) }),
        // Remote inputs: https/sftp downloads with libcurl (conditional requests, retries, secrets).
        .target(name: "PaduRemote", dependencies: ["PaduCore", "CCurl"]),
        // OpenLineage RunEvents: built per run, kept in an outbox, sent to a collector with libcurl.
        .target(name: "PaduOpenLineage", dependencies: ["PaduCore", "PaduRemote"]),
        // Manifest loader, pipeline validation, run orchestration (and, later, the scheduler).
        .target(name: "PaduDaemon", dependencies: ["PaduCore", "PaduWarehouse", "PaduPlugins", "PaduFormats", "PaduRemote", "PaduOpenLineage"]),
        // Command-line commands (a library so tests can call them).
        .target(name: "PaduCLI", dependencies: ["PaduCore", "PaduDaemon", "PaduWarehouse", "PaduPlugins", "PaduReference", "PaduReports",
                                               "PaduOpenLineage", "PaduRemote"]),
        // The thin executable.
        .executableTarget(name: "padu", dependencies: ["PaduCLI"]),

        // Tests: one target per module and per plugin.
        .testTarget(name: "PaduCoreTests", dependencies: ["PaduCore"]),
        .testTarget(name: "PaduFormatsTests", dependencies: ["PaduFormats", "CZlib"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PaduWarehouseTests", dependencies: ["PaduWarehouse", "PaduCore"]),
        .testTarget(
            name: "PaduDaemonTests",
            dependencies: ["PaduDaemon", "PaduCore", "PaduWarehouse", "PaduPlugins", "PipelineDescription"]
        ),
        .testTarget(name: "PaduCLITests", dependencies: ["PaduCLI", "PaduWarehouse", "PaduCore"]),
        .testTarget(name: "PaduRemoteTests", dependencies: ["PaduRemote", "PaduCore", "PaduDaemon", "PaduWarehouse", "PaduPlugins", "PaduOpenLineage"]),
        .testTarget(name: "PipelineDescriptionTests", dependencies: ["PipelineDescription"]),
        .testTarget(name: "PaduReferenceTests", dependencies: ["PaduReference", "PaduCore", "ResolveRegionPlugin"]),
        .testTarget(name: "ScenarioTests", dependencies: ["PaduCLI", "PaduCore", "PaduWarehouse", "PaduReports", "PaduReference", "PaduFormats"], exclude: ["Fixtures"]),
        .testTarget(name: "IdentityPluginTests", dependencies: ["PaduCore", "PaduReference", "ValidateIdentityPlugin", "NormalizeNamePlugin"]),
        .testTarget(name: "PaduReportsTests", dependencies: ["PaduReports", "PaduCore"]),
        .testTarget(
            name: "PluginTests",
            dependencies: ["PaduCore", "PaduWarehouse", "PaduPlugins"] + pluginTargets.map { .target(name: $0.target) },
            resources: [.copy("Fixtures")]
        ),
    ] + pluginTargets.map { plugin in
        .target(name: plugin.target, dependencies: plugin.dependencies, path: "Plugins/\(plugin.folder)", exclude: ["README.md"])
    },
    swiftLanguageModes: [.v6]
)

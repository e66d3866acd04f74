// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "coopq",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "coopq", targets: ["coopq"]),
        .executable(name: "coopq-gen", targets: ["coopq-gen"]),
        .library(name: "CoopQ", targets: ["CoopQ"]),
        .library(name: "BundledCorpus", targets: ["BundledCorpus"]),
    ],
    targets: [
        // The language, the corpus model and the extractor. No terminal code lives here.
        .target(
            name: "CoopQ",
            dependencies: ["CSQLite", "CLinux"],
            exclude: ["Lexicons", "Rules"],
            plugins: ["EmbedFiles"]
        ),
        // SQLite from Debian's libsqlite3-dev, for `export` to a database file.
        .systemLibrary(name: "CSQLite"),
        // preadv2 from the C library, to ask whether a file is in the page cache (`ReadAhead`).
        .systemLibrary(name: "CLinux"),
        // The five seed articles of seeds/, compiled into the binary as the default corpus.
        .target(
            name: "BundledCorpus",
            plugins: ["EmbedFiles"]
        ),
        // libedit from Debian's libedit-dev, through its readline-compatible header.
        .systemLibrary(name: "CLibEdit"),
        // The thin command-line shell around the library.
        .executableTarget(
            name: "coopq",
            dependencies: [
                "CoopQ", "BundledCorpus", "CLibEdit",
            ],
            // The git files naming the commit it is built from, for --version.
            plugins: ["EmbedFiles"]
        ),
        // Writes a deterministic corpus of the genre, with its gold, for benchmarks and accuracy at scale.
        .executableTarget(name: "coopq-gen"),
        // Writes the seeds' snapshot as a source of BundledCorpus (`make snapshot`).
        .executableTarget(name: "coopq-snapshot", dependencies: ["CoopQ", "BundledCorpus"]),
        // Times queries over a million synthetic events in process, for `make bench`.
        .executableTarget(name: "coopq-bench", dependencies: ["CoopQ"]),
        // Turns data files into a Swift source at build time (used by the EmbedFiles plugin).
        .executableTarget(name: "EmbedTool"),
        .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["EmbedTool"]),
        .testTarget(
            name: "CoopQTests",
            dependencies: ["CoopQ", "BundledCorpus", "CSQLite", "CLinux", "coopq", "coopq-gen"],
            exclude: ["Fixtures", "Golden"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

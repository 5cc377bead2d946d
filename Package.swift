// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way, toward the leaves (AnnealJSON uses AnnealPython's float repr):
//   anneal (CLI) → AnnealPlot → AnnealConformance → AnnealOptim → Anneal → AnnealPython, AnnealJSON → CJSONC
//                                                              ↘ AnnealTensor
let package = Package(
    name: "Anneal",
    products: [
        .library(name: "Anneal", targets: ["Anneal"]),
        .library(name: "AnnealTensor", targets: ["AnnealTensor"]),
        .library(name: "AnnealOptim", targets: ["AnnealOptim"]),
        .library(name: "AnnealConformance", targets: ["AnnealConformance"]),
        .executable(name: "anneal", targets: ["anneal"]),
        .executable(name: "anneal-bench", targets: ["anneal-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CJSONC",
            pkgConfig: "json-c",
            providers: [.apt(["libjson-c-dev"])]
        ),
        .target(name: "AnnealJSON", dependencies: ["CJSONC", "AnnealPython"]),
        .target(name: "AnnealPython"),
        .target(name: "Anneal", dependencies: ["AnnealJSON", "AnnealPython"]),
        .target(name: "AnnealTensor"),
        .target(name: "AnnealOptim", dependencies: ["Anneal", "AnnealTensor"]),
        .target(name: "AnnealConformance", dependencies: ["Anneal", "AnnealJSON", "AnnealPython"]),
        .target(name: "AnnealPlot", dependencies: ["AnnealConformance"]),
        .executableTarget(
            name: "anneal",
            dependencies: [
                "AnnealConformance",
                "AnnealPlot",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks: `make bench-schedulers`. The allocation counter is linked
        // into the benchmark only.
        .target(name: "CAllocationCounter"),
        .executableTarget(name: "anneal-bench", dependencies: ["AnnealConformance", "CAllocationCounter"]),
        .testTarget(name: "AnnealJSONTests", dependencies: ["AnnealJSON", "AnnealPython"]),
        .testTarget(
            name: "AnnealPythonTests", dependencies: ["AnnealPython"], exclude: ["make_expression_cases.py"]),
        .testTarget(name: "AnnealTests", dependencies: ["Anneal"]),
        .testTarget(name: "AnnealTensorTests", dependencies: ["AnnealTensor"]),
        .testTarget(name: "AnnealOptimTests", dependencies: ["AnnealOptim"]),
        .testTarget(name: "AnnealConformanceTests", dependencies: ["AnnealConformance"]),
        .testTarget(name: "AnnealPlotTests", dependencies: ["AnnealPlot"]),
    ]
)

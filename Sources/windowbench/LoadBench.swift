struct LoadBench { init(arguments: [String]) throws {}; func run() async throws -> String { "mode=load not-implemented" } }

import Foundation

@main
struct Windowbench {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "routing":
            print(RoutingBench().run())
        case "restart":
            print(try await RestartBench(arguments: Array(arguments.dropFirst())).run())
        case "load":
            print(try await LoadBench(arguments: Array(arguments.dropFirst())).run())
        case "floor":
            print(try await FloorBench(arguments: Array(arguments.dropFirst())).run())
        case "floor-server":
            try await FloorServer.run(arguments: Array(arguments.dropFirst()))
        case "report":
            print(try await ReportBench(arguments: Array(arguments.dropFirst())).run())
        default:
            FileHandle.standardError.write(Data("usage: windowbench routing|load|restart|report|floor [options]\n".utf8))
            exit(2)
        }
    }
}

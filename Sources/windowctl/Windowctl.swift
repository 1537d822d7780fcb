import ArgumentParser
import Foundation
import WindowClient

@main
struct Windowctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "windowctl",
        abstract: "RemoteWindow for managers and admins: clerks and their skills, passwords, sites, kiosks, the live queue, the service catalog.",
        discussion: "Sign in once with `windowctl login`; the token is kept (mode 0600) until it expires or `windowctl logout`.",
        subcommands: [Login.self, Logout.self, TOTPCommand.self, ClerkCommand.self, AccountCommand.self, SiteCommand.self, KioskCommand.self, QueueCommand.self, CatalogCommand.self, ReportCommand.self]
    )
}

/// The saved sign-in: server, CA and an account token.
struct SignIn: Codable {
    var server: String
    var caPEM: String
    var token: String
    var expiresAt: Date
    var username: String

    static func defaultPath() -> String {
        let base = ProcessInfo.processInfo.environment["XDG_CONFIG_HOME"] ?? (NSHomeDirectory() + "/.config")
        return base + "/remotewindow/windowctl.json"
    }
}

/// Where the saved sign-in is kept: `--sign-in PATH`. `--session` is its old spelling, still
/// accepted (hidden) for one release.
struct SignInLocation: ParsableArguments {
    @Option(name: .customLong("sign-in"), help: "Where the sign-in is kept (default: $XDG_CONFIG_HOME/remotewindow/windowctl.json).")
    var signIn: String?

    @Option(name: .customLong("session"), help: .hidden)
    var oldSpelling: String?

    func validate() throws {
        if let signIn, let oldSpelling, signIn != oldSpelling {
            throw ValidationError("--session is the old name of --sign-in; give only --sign-in")
        }
    }

    var path: String { signIn ?? oldSpelling ?? SignIn.defaultPath() }

    func load() throws -> SignIn {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure("未登录，请先运行 windowctl login / not signed in: run `windowctl login` first")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let signIn = try? decoder.decode(SignIn.self, from: data) else {
            throw Failure("登录信息已损坏，请重新登录 / the saved sign-in is damaged: run `windowctl login` again")
        }
        guard signIn.expiresAt > Date() else {
            throw Failure("登录已过期，请重新登录 / the sign-in expired: run `windowctl login` again")
        }
        return signIn
    }

    func save(_ signIn: SignIn) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try PrivateFile.write(try encoder.encode(signIn), to: path)
    }
}

struct SignInOptions: ParsableArguments {
    @OptionGroup var location: SignInLocation

    @Flag(name: .long, help: "Print JSON instead of plain text.")
    var json = false

    /// Runs `body` with a signed-in client; any failure becomes one bilingual line and exit 1.
    func withAPI<T>(_ body: (WindowAPI) async throws -> T) async throws -> T {
        do {
            let signIn = try location.load()
            let endpoint = try ServerEndpoint(url: signIn.server, caPEM: signIn.caPEM)
            return try await WindowAPI.using(endpoint: endpoint, credential: signIn.token, body)
        } catch {
            Failure.report(error)
            throw ExitCode(1)
        }
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }

    static func report(_ error: any Error) {
        FileHandle.standardError.write(Data("windowctl: \(error)\n".utf8))
    }
}

/// Reads a password from standard input (one line), never from the command line where `ps` shows it.
func readPassword(prompt: String) throws -> String {
    if isatty(STDIN_FILENO) != 0 {
        FileHandle.standardError.write(Data(prompt.utf8))
        var original = termios()
        tcgetattr(STDIN_FILENO, &original)
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &original)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine() else { throw Failure("没有输入密码 / no password given") }
        return line
    }
    guard let line = readLine(), !line.isEmpty else { throw Failure("标准输入中没有密码 / no password on standard input") }
    return line
}

func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Sign in (the password is read from the terminal or standard input).")

    @Option(name: .long, help: "Server address, e.g. https://localhost:8443.")
    var server: String = "https://localhost:8443"

    @Option(name: .long, help: "CA certificate to trust for the server (PEM), e.g. data/tls/ca.pem.")
    var ca: String

    @Option(name: .long, help: "Account name.")
    var username: String

    @OptionGroup var location: SignInLocation

    func run() async throws {
        do {
            let endpoint = try ServerEndpoint(url: server, caPEM: try ServerEndpoint.readCA(path: ca))
            let password = try readPassword(prompt: "密码 / password: ")
            let answer = try await WindowAPI.using(endpoint: endpoint, credential: nil) { api throws(WindowClientError) in
                try await api.login(username: username, password: password)
            }
            try location.save(SignIn(server: endpoint.baseURL, caPEM: endpoint.caPEM, token: answer.token, expiresAt: answer.expiresAt, username: username))
            print("已登录 / signed in as \(username) (\(answer.account.role)), until \(answer.expiresAt)")
        } catch {
            Failure.report(error)
            throw ExitCode(1)
        }
    }
}

struct Logout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Sign out and forget the saved token.")
    @OptionGroup var options: SignInOptions

    func run() async throws {
        // A token the server no longer knows is forgotten all the same.
        _ = try? await options.withAPI { api in try? await api.logout() }
        try? FileManager.default.removeItem(atPath: options.location.path)
        print("已退出 / signed out")
    }
}

import Hummingbird
import WindowStore

/// Liveness and readiness for operators and load balancers. Public: it tells nothing private.
struct HealthController {
    let database: AppDatabase

    struct Health: ResponseCodable {
        var status: String
        var database: String
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/health") { _, _ -> Health in
            // A read proves the database is reachable, not just that the process is up.
            _ = try await database.appliedMigrations()
            return Health(status: "ok", database: "ok")
        }
    }
}

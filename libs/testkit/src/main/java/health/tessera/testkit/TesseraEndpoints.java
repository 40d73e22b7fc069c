package health.tessera.testkit;

/**
 * Where the local platform answers (the ports ./tessera uses). Override with system properties or
 * environment variables of the same name in upper case with dots as underscores, e.g. TESSERA_GATEWAY_URL.
 */
public final class TesseraEndpoints {

    private TesseraEndpoints() {}

    public static String gateway() {
        return setting("tessera.gateway.url", "http://127.0.0.1:8080");
    }

    public static String patientService() {
        return setting("tessera.patient-service.url", "http://127.0.0.1:8081");
    }

    public static String recordsService() {
        return setting("tessera.records-service.url", "http://127.0.0.1:8082");
    }

    public static String alertsService() {
        return setting("tessera.alerts-service.url", "http://127.0.0.1:8084");
    }

    public static String keycloak() {
        return setting("tessera.keycloak.url", "http://127.0.0.1:8180");
    }

    public static String kafkaBootstrap() {
        return setting("tessera.kafka.bootstrap", "127.0.0.1:9092");
    }

    /** JDBC URL of one of the platform's databases, e.g. {@code tessera_patient}. */
    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + setting("tessera.db.host", "127.0.0.1") + ":" + setting("tessera.db.port", "5432")
                + "/" + database;
    }

    /** The repository's root folder (tests that launch service jars need it). */
    public static java.nio.file.Path repositoryRoot() {
        java.nio.file.Path dir =
                java.nio.file.Path.of(setting("tessera.root", ".")).toAbsolutePath();
        while (dir != null && !java.nio.file.Files.exists(dir.resolve("tessera"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root (the folder with ./tessera)");
        }
        return dir;
    }

    static String setting(String name, String fallback) {
        String value = System.getProperty(name);
        if (value == null) {
            value = System.getenv(name.toUpperCase().replace('.', '_').replace('-', '_'));
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}

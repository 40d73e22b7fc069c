package health.tessera.records.domain.search;

/** The kinds of search parameter records-service indexes, each with its own index table. */
public enum ParameterKind {
    TOKEN,
    STRING,
    DATE,
    QUANTITY,
    REFERENCE,
    URI,
    NUMBER
}

package health.tessera.patient.matching;

/** What a field comparator found: the level and, for people, why ("nickname", "day/month transposed"). */
public record Agreement(Level level, String detail) {

    static final Agreement MISSING = new Agreement(Level.MISSING, "missing on one side");
    static final Agreement EXACT = new Agreement(Level.EXACT, "equal");
    static final Agreement DISAGREE = new Agreement(Level.DISAGREE, "different");

    static Agreement of(Level level, String detail) {
        return new Agreement(level, detail);
    }
}

package health.tessera.patient.matching;

/**
 * Identifiers, system by system. Person identifiers ({@link Identifier.Kind#PERSON}: SSN, passport...) in a system
 * both records have:
 *
 * <ul>
 *   <li>{@code EXACT}: a value in common;
 *   <li>{@code STRONG}: one typo (a digit changed, added, dropped, or two adjacent digits swapped);
 *   <li>{@code WEAK}: two typos;
 *   <li>{@code DISAGREE}: further apart (also a {@link Conflict#IDENTIFIER_MISMATCH}).
 * </ul>
 *
 * When the records share no person-identifier system, a record identifier ({@link Identifier.Kind#RECORD}: MRN)
 * with the same system and value is {@code EXACT} (the same record registered twice); different record identifiers
 * are {@code MISSING}: two MRNs of one organisation for one person are the duplicates an MPI exists to find.
 */
public final class IdentifierComparator {

    private IdentifierComparator() {}

    public static Agreement compare(Features a, Features b) {
        if (a.identifiers.length == 0 || b.identifiers.length == 0) {
            return Agreement.MISSING;
        }
        int best = 4; // 0 exact, 1 one typo, 2 two typos, 3 different, 4 no common system
        String system = null;
        boolean sameRecordId = false;
        for (Identifier x : a.identifiers) {
            for (Identifier y : b.identifiers) {
                if (!x.system().equals(y.system())) {
                    continue;
                }
                if (x.kind() == Identifier.Kind.PERSON && y.kind() == Identifier.Kind.PERSON) {
                    int d = Math.min(3, Similarity.edits(x.value(), y.value()));
                    if (d < best) {
                        best = d;
                        system = x.system();
                    }
                } else if (x.value().equals(y.value())) {
                    sameRecordId = true;
                    system = system == null ? x.system() : system;
                }
            }
        }
        return switch (best) {
            case 0 -> Agreement.of(Level.EXACT, "same " + label(system));
            case 1 -> Agreement.of(Level.STRONG, label(system) + " one typo apart");
            case 2 -> Agreement.of(Level.WEAK, label(system) + " two typos apart");
            case 3 ->
                sameRecordId
                        ? Agreement.of(Level.EXACT, "same record identifier")
                        : Agreement.of(Level.DISAGREE, label(system) + " differs");
            default -> sameRecordId ? Agreement.of(Level.EXACT, "same record identifier") : Agreement.MISSING;
        };
    }

    private static String label(String system) {
        return Identifier.US_SSN.equals(system) ? "SSN" : "identifier " + system;
    }
}

package health.tessera.patient.matching;

/**
 * Birth dates, possibly partial.
 *
 * <ul>
 *   <li>{@code EXACT}: the same complete date;
 *   <li>{@code STRONG}: day and month transposed (03/04 vs 04/03), one digit different (a typo in the year, month or
 *       day), two adjacent digits transposed, or the year off by one with the same month and day;
 *   <li>{@code WEAK}: what a typo on each side gives: two digits different, day and month transposed with a typo in
 *       the year; the same year and month (or year and day), the same month and day, or two partial dates that
 *       agree as far as they go (1980 vs 1980-05-03);
 *   <li>{@code DISAGREE}: anything else, including "only the year agrees";
 *   <li>{@code MISSING}: no year on one side.
 * </ul>
 */
public final class BirthDateComparator {

    /** Birth years this far apart, and not explained by a typo, are a {@link Conflict#GENERATION_GAP}. */
    public static final int GENERATION_GAP_YEARS = 12;

    private BirthDateComparator() {}

    public static Agreement compare(PartialDate a, PartialDate b) {
        if (!a.isKnown() || !b.isKnown()) {
            return Agreement.MISSING;
        }
        if (a.isComplete() && b.isComplete()) {
            return complete(a, b, a.digits(), b.digits());
        }
        if (a.year() != b.year()) {
            return Agreement.DISAGREE;
        }
        if (a.month() > 0 && b.month() > 0 && a.month() != b.month()) {
            return Agreement.of(Level.DISAGREE, "same year, different month");
        }
        if (a.day() > 0 && b.day() > 0 && a.day() != b.day()) {
            return Agreement.of(Level.DISAGREE, "same year and month, different day");
        }
        return Agreement.of(Level.WEAK, "partial dates agree as far as they go");
    }

    static Agreement compare(Features a, Features b) {
        if (a.birthDigits != null && b.birthDigits != null) {
            return complete(a.birthDate, b.birthDate, a.birthDigits, b.birthDigits);
        }
        return compare(a.birthDate, b.birthDate);
    }

    private static Agreement complete(PartialDate a, PartialDate b, String da, String db) {
        if (da.equals(db)) {
            return Agreement.EXACT;
        }
        boolean transposed = a.month() == b.day() && a.day() == b.month();
        if (a.year() == b.year() && transposed) {
            return Agreement.of(Level.STRONG, "day and month transposed");
        }
        int hamming = Similarity.hamming(da, db);
        if (hamming == 1) {
            return Agreement.of(Level.STRONG, "one digit differs (typo)");
        }
        if (Similarity.adjacentTransposition(da, db)) {
            return Agreement.of(Level.STRONG, "two adjacent digits transposed");
        }
        boolean sameMonthDay = a.month() == b.month() && a.day() == b.day();
        int years = Math.abs(a.year() - b.year());
        if (sameMonthDay && years == 1) {
            return Agreement.of(Level.STRONG, "year off by one");
        }
        if (hamming == 2) {
            return Agreement.of(Level.WEAK, "two digits differ (a typo on each side)");
        }
        if (transposed && (years == 1 || yearTypo(a.year(), b.year()))) {
            return Agreement.of(Level.WEAK, "day and month transposed, and a typo in the year");
        }
        if (a.year() == b.year() && (a.month() == b.month() || a.day() == b.day())) {
            return Agreement.of(Level.WEAK, a.month() == b.month() ? "same year and month" : "same year and day");
        }
        if (sameMonthDay) {
            return Agreement.of(Level.WEAK, "same month and day, different year");
        }
        return Agreement.DISAGREE;
    }

    private static boolean yearTypo(int x, int y) {
        String a = Integer.toString(x);
        String b = Integer.toString(y);
        return Similarity.hamming(a, b) == 1 || Similarity.adjacentTransposition(a, b);
    }

    /**
     * True when both birth years are known and possible, at least {@value #GENERATION_GAP_YEARS} apart, and the two
     * dates are not within a typo on each side (at most two digits differ: 1957-03-02 vs 1987-03-02 is a typo;
     * 1957-03-02 vs 1985-11-20 is a parent and a child).
     */
    public static boolean generationGap(PartialDate a, PartialDate b) {
        if (!a.isKnown() || !b.isKnown() || Math.abs(a.year() - b.year()) < GENERATION_GAP_YEARS) {
            return false;
        }
        int now = java.time.Year.now().getValue();
        if (a.year() > now || b.year() > now || a.year() < 1880 || b.year() < 1880) {
            return false; // an impossible year is a typing error, not a generation
        }
        if (a.isComplete() && b.isComplete()) {
            String da = a.digits();
            String db = b.digits();
            // at most a typo on each side: 1957-03-02 vs 1987-03-02, 1957-03-12 vs 1987-03-02, 1957-03-02 vs 1987-02-03
            boolean transposed = a.month() == b.day() && a.day() == b.month();
            return Similarity.hamming(da, db) > 2
                    && !Similarity.adjacentTransposition(da, db)
                    && !(transposed && yearTypo(a.year(), b.year()));
        }
        return true;
    }
}

package health.tessera.patient.matching;

/**
 * Phones and e-mail addresses; any number (or address) of one record against any of the other.
 *
 * <ul>
 *   <li>Phone: {@code EXACT} a number in common; {@code STRONG} numbers one typo apart; {@code WEAK} the same last
 *       seven digits (area code changed); {@code DISAGREE} otherwise.
 *   <li>E-mail: {@code EXACT} an address in common; {@code STRONG} within one typo; {@code WEAK} the same mailbox
 *       name at another provider (people of one name pick similar ones); {@code DISAGREE} otherwise.
 * </ul>
 */
public final class ContactComparator {

    private ContactComparator() {}

    public static Agreement phone(Features a, Features b) {
        if (a.phones.length == 0 || b.phones.length == 0) {
            return Agreement.MISSING;
        }
        Level best = Level.DISAGREE;
        String why = "different";
        for (String x : a.phones) {
            for (String y : b.phones) {
                if (x.equals(y)) {
                    return Agreement.EXACT;
                }
                if (best.ordinal() > Level.STRONG.ordinal() && Similarity.edits(x, y) == 1) {
                    best = Level.STRONG;
                    why = "one digit typo";
                } else if (best.ordinal() > Level.WEAK.ordinal()
                        && x.length() >= 7
                        && y.length() >= 7
                        && x.regionMatches(x.length() - 7, y, y.length() - 7, 7)) {
                    best = Level.WEAK;
                    why = "same number, different area code";
                }
            }
        }
        return Agreement.of(best, why);
    }

    public static Agreement email(Features a, Features b) {
        if (a.emails.length == 0 || b.emails.length == 0) {
            return Agreement.MISSING;
        }
        Level best = Level.DISAGREE;
        String why = "different";
        for (String x : a.emails) {
            for (String y : b.emails) {
                if (x.equals(y)) {
                    return Agreement.EXACT;
                }
                String lx = x.substring(0, x.indexOf('@'));
                String ly = y.substring(0, y.indexOf('@'));
                if (best.ordinal() > Level.STRONG.ordinal() && Similarity.edits(x, y) == 1) {
                    best = Level.STRONG;
                    why = "one typo";
                } else if (best.ordinal() > Level.WEAK.ordinal() && lx.equals(ly)) {
                    best = Level.WEAK;
                    why = "same mailbox name, other provider";
                }
            }
        }
        return Agreement.of(best, why);
    }
}

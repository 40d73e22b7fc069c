package health.tessera.patient.matching;

/**
 * Addresses: the street (house number and street name) and the locality (postcode, city), combined into one
 * {@link Field#ADDRESS} level by {@link #address}:
 *
 * <ul>
 *   <li>{@code EXACT}: same house number and street, and the locality agrees (or is missing on a side);
 *   <li>{@code STRONG}: the street within a typo (or its number missing) in an agreeing locality, or the same
 *       street and number with a locality that has typos;
 *   <li>{@code WEAK}: the same locality (postcode or city) but another street, or no street on a side;
 *   <li>{@code DISAGREE}: another place (a move, or another person);
 *   <li>{@code MISSING}: no street and no locality on a side.
 * </ul>
 *
 * Street names are compared with spaces removed and against every address line of the other record, so that
 * "pridhamstreet" meets "pridham st" and a street written in the second line is still found.
 *
 * <p>Street:
 *
 * <ul>
 *   <li>{@code EXACT}: same house number and street;
 *   <li>{@code STRONG}: same number and a street within a typo (Jaro–Winkler &ge; {@value #SIMILAR}), or the same
 *       street with a house number missing on one side or off by one typo;
 *   <li>{@code WEAK}: the same street with a different number, or the same number and a loosely similar street
 *       (&ge; {@value #LOOSE}), or the same number with no street on one side;
 *   <li>{@code DISAGREE}: otherwise; {@code MISSING}: no address line on one side.
 * </ul>
 *
 * <p>Locality:
 *
 * <ul>
 *   <li>{@code EXACT}: same postcode and same city (within a typo);
 *   <li>{@code STRONG}: same postcode, or same city with a postcode one typo away or missing;
 *   <li>{@code WEAK}: same city only, or a postcode one typo away;
 *   <li>{@code DISAGREE}: otherwise; {@code MISSING}: neither postcode nor city on one side.
 * </ul>
 */
public final class AddressComparator {

    static final double SIMILAR = 0.92;
    static final double LOOSE = 0.80;
    private static final Agreement STREET_MISSING = Agreement.of(Level.MISSING, "no street on a side");
    private static final Agreement LOCALITY_MISSING = Agreement.of(Level.MISSING, "no locality on a side");

    private AddressComparator() {}

    public static Agreement address(Features a, Features b) {
        Agreement street = street(a, b);
        Agreement locality = locality(a, b);
        Level s = street.level();
        Level l = locality.level();
        if (s == Level.MISSING && l == Level.MISSING) {
            return Agreement.MISSING;
        }
        boolean placeAgrees = l == Level.EXACT || l == Level.STRONG || l == Level.MISSING;
        String why = street.detail() + "; " + locality.detail();
        if (s == Level.EXACT) {
            return Agreement.of(placeAgrees ? Level.EXACT : Level.STRONG, placeAgrees ? "same address" : why);
        }
        if (s == Level.STRONG) {
            return Agreement.of(placeAgrees ? Level.STRONG : Level.WEAK, why);
        }
        if (l == Level.EXACT || l == Level.STRONG) {
            return Agreement.of(Level.WEAK, s == Level.MISSING ? "no street on a side; " + locality.detail() : why);
        }
        return Agreement.of(Level.DISAGREE, why);
    }

    public static Agreement street(Features a, Features b) {
        if (!a.hasAddressLines() || !b.hasAddressLines()) {
            return STREET_MISSING;
        }
        // house number: 0 equal, 1 one typo, 2 missing on a side, 3 different
        int number;
        if (a.streetNumber == null || b.streetNumber == null) {
            number = 2;
        } else if (a.streetNumber.equals(b.streetNumber)) {
            number = 0;
        } else {
            number = Similarity.edits(a.streetNumber, b.streetNumber) == 1 ? 1 : 3;
        }
        // street name: 0 equal, 1 similar, 2 loosely similar, 3 different, 4 no name on a side
        int name;
        String na = Text.joined(a.streetName);
        String nb = Text.joined(b.streetName);
        if (a.lineNames.length == 0 || b.lineNames.length == 0) {
            name = 4;
        } else if (!na.isEmpty() && na.equals(nb)) {
            name = 0;
        } else {
            double best = 0;
            for (String x : a.lineNames) {
                for (String y : b.lineNames) {
                    best = Math.max(best, Similarity.jaroWinkler(x, y));
                }
            }
            name = best >= 0.999 ? 0 : best >= SIMILAR ? 1 : best >= LOOSE ? 2 : 3;
        }
        if (number == 0 && name == 0) {
            return Agreement.of(Level.EXACT, "same house number and street");
        }
        if (number == 0 && name == 1) {
            return Agreement.of(Level.STRONG, "same house number, street within a typo");
        }
        if ((number == 1 || number == 2) && name <= 1) {
            return Agreement.of(
                    Level.STRONG,
                    number == 1 ? "same street, house number within a typo" : "same street, house number missing");
        }
        if (number == 3 && name <= 1) {
            return Agreement.of(Level.WEAK, "same street, different house number");
        }
        if (number == 0 && (name == 2 || name == 4)) {
            return Agreement.of(Level.WEAK, name == 2 ? "same house number, similar street" : "same house number");
        }
        if (number == 1 && name == 2) {
            return Agreement.of(Level.WEAK, "house number within a typo, similar street");
        }
        return Agreement.of(Level.DISAGREE, "another street");
    }

    public static Agreement locality(Features a, Features b) {
        boolean aHas = !a.postcode.isEmpty() || !a.cityJoined.isEmpty();
        boolean bHas = !b.postcode.isEmpty() || !b.cityJoined.isEmpty();
        if (!aHas || !bHas) {
            return LOCALITY_MISSING;
        }
        // postcode: 0 equal, 1 one typo, 2 missing on a side, 3 different
        int pc;
        if (a.postcode.isEmpty() || b.postcode.isEmpty()) {
            pc = 2;
        } else if (a.postcode.equals(b.postcode)) {
            pc = 0;
        } else {
            pc = Similarity.edits(a.postcode, b.postcode) == 1 ? 1 : 3;
        }
        // city: 0 same, 1 missing on a side, 2 different
        int city;
        if (a.cityJoined.isEmpty() || b.cityJoined.isEmpty()) {
            city = 1;
        } else {
            city = Similarity.jaroWinkler(a.cityJoined, b.cityJoined) >= SIMILAR ? 0 : 2;
        }
        if (pc == 0 && city == 0) {
            return Agreement.of(Level.EXACT, "same postcode and city");
        }
        if (pc == 0) {
            return Agreement.of(
                    Level.STRONG, city == 1 ? "same postcode, city missing" : "same postcode, city differs");
        }
        if (city == 0 && (pc == 1 || pc == 2)) {
            return Agreement.of(
                    Level.STRONG, pc == 1 ? "same city, postcode within a typo" : "same city, postcode missing");
        }
        if (city == 0) {
            return Agreement.of(Level.WEAK, "same city, different postcode");
        }
        if (pc == 1) {
            return Agreement.of(Level.WEAK, "postcode within a typo");
        }
        return Agreement.of(Level.DISAGREE, "another postcode and city");
    }
}

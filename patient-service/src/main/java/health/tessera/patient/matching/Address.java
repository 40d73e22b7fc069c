package health.tessera.patient.matching;

import java.util.List;

/**
 * A normalised postal address: street lines (number and street first, then unit or building), city, postcode,
 * state. All values are already normalised by {@link Text}; use {@link #of} to build one from raw text.
 */
public record Address(List<String> lines, String city, String postcode, String state) {

    public static final Address NONE = new Address(List.of(), "", "", "");

    public Address {
        lines = lines == null ? List.of() : List.copyOf(lines);
        city = city == null ? "" : city;
        postcode = postcode == null ? "" : postcode;
        state = state == null ? "" : state;
    }

    /** Normalises raw lines, city, postcode and state; blank lines are dropped. */
    public static Address of(List<String> rawLines, String city, String postcode, String state) {
        List<String> lines = rawLines == null
                ? List.of()
                : rawLines.stream().map(Text::street).filter(l -> !l.isEmpty()).toList();
        return new Address(lines, Text.fold(city), Text.postcode(postcode), Text.state(state));
    }

    public boolean isEmpty() {
        return lines.isEmpty() && city.isEmpty() && postcode.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(String.join(", ", lines));
        for (String p : new String[] {city, state, postcode}) {
            if (!p.isEmpty()) {
                if (!b.isEmpty()) {
                    b.append(", ");
                }
                b.append(p);
            }
        }
        return b.toString();
    }
}

package health.tessera.patient.matching;

import java.time.LocalDate;

/**
 * A birth date that may be partial: year only, year and month, or complete. 0 means unknown for a part; a date
 * with year 0 is {@link #UNKNOWN}. Month and day are kept as written, even when they do not make a valid calendar
 * date together: a record saying 1980-13-02 carries information (probably day and month swapped) that a parser
 * rejecting it would lose.
 */
public record PartialDate(int year, int month, int day) {

    public static final PartialDate UNKNOWN = new PartialDate(0, 0, 0);

    public PartialDate {
        if (year <= 0) {
            year = 0;
            month = 0;
            day = 0;
        }
        if (month < 0 || month > 99) {
            month = 0;
        }
        if (month == 0 || day < 0 || day > 99) {
            day = 0;
        }
    }

    public static PartialDate of(LocalDate d) {
        return d == null ? UNKNOWN : new PartialDate(d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    /**
     * Parses {@code yyyy}, {@code yyyy-mm}, {@code yyyy-mm-dd} (FHIR {@code date}), or {@code yyyymmdd}; anything
     * else (or null) is {@link #UNKNOWN}.
     */
    public static PartialDate parse(String s) {
        if (s == null) {
            return UNKNOWN;
        }
        String t = s.strip();
        try {
            if (t.length() == 8 && t.chars().allMatch(Character::isDigit)) {
                return new PartialDate(
                        Integer.parseInt(t.substring(0, 4)),
                        Integer.parseInt(t.substring(4, 6)),
                        Integer.parseInt(t.substring(6, 8)));
            }
            if (t.length() >= 10 && t.charAt(4) == '-' && t.charAt(7) == '-') {
                return new PartialDate(
                        Integer.parseInt(t.substring(0, 4)),
                        Integer.parseInt(t.substring(5, 7)),
                        Integer.parseInt(t.substring(8, 10)));
            }
            if (t.length() == 7 && t.charAt(4) == '-') {
                return new PartialDate(Integer.parseInt(t.substring(0, 4)), Integer.parseInt(t.substring(5, 7)), 0);
            }
            if (t.length() == 4) {
                return new PartialDate(Integer.parseInt(t), 0, 0);
            }
        } catch (NumberFormatException e) {
            return UNKNOWN;
        }
        return UNKNOWN;
    }

    public boolean isKnown() {
        return year > 0;
    }

    public boolean isComplete() {
        return year > 0 && month > 0 && day > 0;
    }

    /** {@code yyyymmdd} for a complete date, else {@code yyyy}, {@code yyyy-mm} or the empty string. */
    public String digits() {
        if (isComplete()) {
            return String.format("%04d%02d%02d", year, month, day);
        }
        return toString();
    }

    @Override
    public String toString() {
        if (year == 0) {
            return "";
        }
        if (month == 0) {
            return String.format("%04d", year);
        }
        if (day == 0) {
            return String.format("%04d-%02d", year, month);
        }
        return String.format("%04d-%02d-%02d", year, month, day);
    }
}

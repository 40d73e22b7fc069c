package health.tessera.patient.matching;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The normalised demographics of one source patient record, as the matcher sees them. Build it with
 * {@link #builder(String)}, which normalises every value (see {@link Text}); the canonical constructor takes values
 * that are already normalised.
 *
 * @param id the record's id (the source Patient id)
 * @param source the owning organisation, or empty
 * @param givenNames given names in order (first, then middle names); each a normalised token string
 * @param familyName the current family name, normalised (may hold several words: "smith jones" for Smith-Jones)
 * @param previousFamilyNames earlier family names (maiden, previous married), normalised
 * @param birthDate the birth date, possibly partial or {@link PartialDate#UNKNOWN}
 * @param sex administrative sex
 * @param suffix generational suffix (jr, sr, ii, iii, iv, v) or null
 * @param address the current address, or {@link Address#NONE}
 * @param phones phone numbers as digits
 * @param emails e-mail addresses, lower case
 * @param identifiers identifiers (SSN, MRN per organisation...)
 */
public record PersonRecord(
        String id,
        String source,
        List<String> givenNames,
        String familyName,
        List<String> previousFamilyNames,
        PartialDate birthDate,
        Sex sex,
        String suffix,
        Address address,
        List<String> phones,
        List<String> emails,
        List<Identifier> identifiers) {

    public PersonRecord {
        Objects.requireNonNull(id, "id");
        source = source == null ? "" : source;
        givenNames = givenNames == null ? List.of() : List.copyOf(givenNames);
        familyName = familyName == null ? "" : familyName;
        previousFamilyNames = previousFamilyNames == null ? List.of() : List.copyOf(previousFamilyNames);
        birthDate = birthDate == null ? PartialDate.UNKNOWN : birthDate;
        sex = sex == null ? Sex.UNKNOWN : sex;
        address = address == null ? Address.NONE : address;
        phones = phones == null ? List.of() : List.copyOf(phones);
        emails = emails == null ? List.of() : List.copyOf(emails);
        identifiers = identifiers == null ? List.of() : List.copyOf(identifiers);
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** This record without identifiers (for what-if comparisons). */
    public PersonRecord withoutIdentifiers() {
        return new PersonRecord(
                id,
                source,
                givenNames,
                familyName,
                previousFamilyNames,
                birthDate,
                sex,
                suffix,
                address,
                phones,
                emails,
                List.of());
    }

    /** The given names as one string ("mary ann"). */
    public String given() {
        return String.join(" ", givenNames);
    }

    /** Collects raw values and normalises them. Blank and unparseable values are dropped, never an error. */
    public static final class Builder {
        private final String id;
        private String source = "";
        private final List<String> given = new ArrayList<>();
        private String family = "";
        private final LinkedHashSet<String> previous = new LinkedHashSet<>();
        private PartialDate birthDate = PartialDate.UNKNOWN;
        private Sex sex = Sex.UNKNOWN;
        private String suffix;
        private Address address = Address.NONE;
        private final LinkedHashSet<String> phones = new LinkedHashSet<>();
        private final LinkedHashSet<String> emails = new LinkedHashSet<>();
        private final List<Identifier> identifiers = new ArrayList<>();

        private Builder(String id) {
            this.id = id;
        }

        public Builder source(String source) {
            this.source = source == null ? "" : source;
            return this;
        }

        /** One or more given names ("Mary Ann" gives two); a trailing suffix ("John Jr") is taken as the suffix. */
        public Builder given(String... names) {
            for (String n : names) {
                takeSuffix(n);
                String t = Text.name(n);
                if (!t.isEmpty()) {
                    given.addAll(List.of(t.split(" ")));
                }
            }
            return this;
        }

        /** The current family name; hyphens become spaces ("Smith-Jones" -> "smith jones"). */
        public Builder family(String name) {
            takeSuffix(name);
            this.family = Text.name(name);
            return this;
        }

        /** An earlier family name (maiden name, a previous married name). */
        public Builder previousFamily(String name) {
            String t = Text.name(name);
            if (!t.isEmpty()) {
                previous.add(t);
            }
            return this;
        }

        public Builder birthDate(PartialDate date) {
            this.birthDate = date == null ? PartialDate.UNKNOWN : date;
            return this;
        }

        public Builder birthDate(LocalDate date) {
            return birthDate(PartialDate.of(date));
        }

        /** {@code yyyy-mm-dd}, {@code yyyy-mm}, {@code yyyy} or {@code yyyymmdd}. */
        public Builder birthDate(String date) {
            return birthDate(PartialDate.parse(date));
        }

        public Builder sex(Sex sex) {
            this.sex = sex == null ? Sex.UNKNOWN : sex;
            return this;
        }

        public Builder sex(String sex) {
            return sex(Sex.parse(sex));
        }

        public Builder suffix(String suffix) {
            String s = Text.suffix(suffix);
            if (s != null) {
                this.suffix = s;
            }
            return this;
        }

        public Builder address(List<String> lines, String city, String postcode, String state) {
            this.address = Address.of(lines, city, postcode, state);
            return this;
        }

        public Builder phone(String phone) {
            String p = Text.phone(phone);
            if (p != null) {
                phones.add(p);
            }
            return this;
        }

        public Builder email(String email) {
            String e = Text.email(email);
            if (e != null) {
                emails.add(e);
            }
            return this;
        }

        public Builder identifier(Identifier identifier) {
            if (identifier != null && !identifier.value().isEmpty()) {
                identifiers.add(identifier);
            }
            return this;
        }

        public Builder ssn(String ssn) {
            return ssn == null || ssn.isBlank() ? this : identifier(Identifier.ssn(ssn));
        }

        public Builder identifier(String system, String value, Identifier.Kind kind) {
            return value == null || value.isBlank() ? this : identifier(new Identifier(system, value, kind));
        }

        private void takeSuffix(String name) {
            String s = Text.trailingSuffix(name);
            if (s != null && suffix == null) {
                suffix = s;
            }
        }

        public PersonRecord build() {
            previous.remove(family);
            return new PersonRecord(
                    id,
                    source,
                    given,
                    family,
                    List.copyOf(previous),
                    birthDate,
                    sex,
                    suffix,
                    address,
                    List.copyOf(phones),
                    List.copyOf(emails),
                    identifiers);
        }
    }
}

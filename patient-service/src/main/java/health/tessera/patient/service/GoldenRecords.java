package health.tessera.patient.service;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;

/**
 * Builds an enterprise identity's golden record from its source records by survivorship rules (documented in
 * {@code docs/patient-matching.md}):
 *
 * <ul>
 *   <li>sources are ranked by trust (configured per organisation), then by how recently they were updated;
 *   <li>name, gender, birth date, marital status, multiple birth: from the best-ranked source that has the
 *       element, preferring the most complete value (a full birth date over a year, a known gender over
 *       {@code unknown}, a name with given and family over a partial one);
 *   <li>address and telecom: the most recently updated source that has them comes first (people move and change
 *       numbers; trust does not say who knows the new address), the others' distinct values follow;
 *   <li>identifiers, contacts (next of kin, emergency contacts, guardians), languages, general practitioners
 *       and extensions (advance directive references): the union, without duplicates;
 *   <li>deceased: if any source records a death, the golden record does (a safety rule, not a vote).
 * </ul>
 *
 * The golden record's id is the enterprise id; it links to every source record ({@code seealso}) and is tagged
 * {@link #GOLDEN_TAG}.
 */
public final class GoldenRecords {

    public static final String TAG_SYSTEM = "https://tessera.health/fhir/CodeSystem/mpi";
    public static final Coding GOLDEN_TAG = new Coding(TAG_SYSTEM, "golden", "Golden record of an enterprise identity");

    /** A source record with what ranks it. */
    public record Source(String id, Patient patient, int trust, Date lastUpdated) {}

    private GoldenRecords() {}

    public static Patient build(String enterpriseId, List<Source> sources, Date lastUpdated, int version) {
        List<Source> ranked = new ArrayList<>(sources);
        ranked.sort(Comparator.comparingInt(Source::trust)
                .reversed()
                .thenComparing(Source::lastUpdated, Comparator.reverseOrder())
                .thenComparing(Source::id));
        List<Source> recent = new ArrayList<>(sources);
        recent.sort(Comparator.comparing(Source::lastUpdated, Comparator.reverseOrder())
                .thenComparing(Source::id));

        Patient golden = new Patient();
        golden.setId(enterpriseId);
        golden.getMeta().setVersionId(Integer.toString(version)).setLastUpdated(lastUpdated);
        golden.getMeta().addTag(GOLDEN_TAG.copy());
        golden.setActive(true);

        best(ranked, GoldenRecords::completeName)
                .ifPresent(s -> s.patient().getName().forEach(n -> golden.addName(n.copy())));
        if (!golden.hasName()) {
            best(ranked, p -> p.hasName()).ifPresent(s -> s.patient().getName().forEach(n -> golden.addName(n.copy())));
        }
        best(ranked, p -> p.hasGender() && p.getGender() != AdministrativeGender.UNKNOWN)
                .or(() -> best(ranked, Patient::hasGender))
                .ifPresent(s -> golden.setGender(s.patient().getGender()));
        best(ranked, p -> p.hasBirthDate() && p.getBirthDateElement().getPrecision() == TemporalPrecisionEnum.DAY)
                .or(() -> best(ranked, Patient::hasBirthDate))
                .ifPresent(s -> golden.setBirthDateElement(
                        s.patient().getBirthDateElement().copy()));
        best(ranked, Patient::hasMaritalStatus)
                .ifPresent(s ->
                        golden.setMaritalStatus(s.patient().getMaritalStatus().copy()));
        best(ranked, Patient::hasMultipleBirth)
                .ifPresent(s ->
                        golden.setMultipleBirth(s.patient().getMultipleBirth().copy()));
        best(ranked, p -> p.hasDeceased() && isDeceased(p))
                .or(() -> best(ranked, Patient::hasDeceased))
                .ifPresent(s -> golden.setDeceased(s.patient().getDeceased().copy()));

        union(
                        recent,
                        Patient::getAddress,
                        a -> a.getLine() + "|" + a.getCity() + "|" + a.getPostalCode() + "|" + a.getUse())
                .forEach(golden::addAddress);
        union(recent, Patient::getTelecom, t -> t.getSystem() + "|" + normalise(t.getValue()))
                .forEach(golden::addTelecom);
        union(ranked, Patient::getIdentifier, i -> i.getSystem() + "|" + i.getValue())
                .forEach(golden::addIdentifier);
        union(
                        ranked,
                        Patient::getContact,
                        c -> c.getName().getNameAsSingleString() + "|"
                                + c.getRelationship().stream()
                                        .flatMap(r -> r.getCoding().stream())
                                        .map(Coding::getCode)
                                        .toList())
                .forEach(golden::addContact);
        union(
                        ranked,
                        Patient::getCommunication,
                        c -> c.getLanguage().getCodingFirstRep().getCode())
                .forEach(golden::addCommunication);
        union(ranked, Patient::getGeneralPractitioner, r -> r.getReference()).forEach(golden::addGeneralPractitioner);
        union(ranked, Patient::getExtension, e -> e.getUrl() + "|" + e.getValue())
                .forEach(golden::addExtension);

        for (Source s : ranked) {
            golden.addLink()
                    .setType(Patient.LinkType.SEEALSO)
                    .setOther(new org.hl7.fhir.r4.model.Reference("Patient/" + s.id()));
        }
        return golden;
    }

    private static boolean completeName(Patient p) {
        return p.getName().stream().anyMatch(n -> n.hasFamily() && n.hasGiven() && n.getUse() != HumanName.NameUse.OLD);
    }

    private static boolean isDeceased(Patient p) {
        return !(p.getDeceased() instanceof BooleanType flag) || flag.booleanValue();
    }

    private static Optional<Source> best(List<Source> ranked, Predicate<Patient> has) {
        return ranked.stream().filter(s -> has.test(s.patient())).findFirst();
    }

    /** Every source's values in the given order, the first of each key kept (copies). */
    @SuppressWarnings("unchecked")
    private static <T extends Base> List<T> union(
            List<Source> order, Function<Patient, List<T>> values, Function<T, String> key) {
        Map<String, T> kept = new LinkedHashMap<>();
        for (Source s : order) {
            for (T value : values.apply(s.patient())) {
                kept.putIfAbsent(key.apply(value), (T) value.copy());
            }
        }
        return new ArrayList<>(kept.values());
    }

    private static String normalise(String value) {
        return value == null ? "" : value.replaceAll("[^0-9A-Za-z@.+]", "").toLowerCase(java.util.Locale.ROOT);
    }
}

package health.tessera.records.domain.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import health.tessera.fhir.FhirException;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.text.Normalizer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Timing;

/**
 * Extracts every indexed search parameter's values from a resource at write time, with the parameter's
 * FHIRPath expressions (see {@link SearchParameterRegistry}), and turns FHIR datatypes into index entries.
 */
@Singleton
public class SearchIndexer {

    /** Stands for an open end of a period: the index keeps plain timestamps. */
    static final Instant DISTANT_PAST = Instant.parse("0001-01-01T00:00:00Z");

    static final Instant DISTANT_FUTURE = Instant.parse("9999-12-31T00:00:00Z");

    private final SearchParameterRegistry registry;
    private final IFhirPath fhirPath;

    public SearchIndexer(SearchParameterRegistry registry, FhirContext fhir) {
        this.registry = registry;
        this.fhirPath = fhir.newFhirPath();
    }

    /**
     * Parameters answered from the record row itself ({@code record.id}, {@code record.last_updated}), never
     * from the index: writing them would add two index rows to every record for nothing (12% of all rows).
     */
    static final java.util.Set<String> ROW_PARAMETERS = java.util.Set.of("_id", "_lastUpdated");

    /**
     * The index entries of a record written here. A relative reference that names no valid id ({@code Patient/},
     * {@code Patient/a b}) is refused with 422: it would point nowhere, and the record would silently fall out of
     * its patient's compartment and out of every search by that reference.
     */
    public List<IndexEntry> index(Resource resource) {
        return index(resource, true);
    }

    /**
     * The index entries of a resource another service accepted (a Patient from patient-service's events): a
     * reference this service would refuse is left out of the index instead, since refusing cannot undo it there.
     */
    public List<IndexEntry> indexAsReceived(Resource resource) {
        return index(resource, false);
    }

    private List<IndexEntry> index(Resource resource, boolean refuseMalformedReferences) {
        List<IndexEntry> entries = new ArrayList<>();
        for (SearchParameter parameter :
                registry.parametersOf(resource.fhirType()).values()) {
            if (ROW_PARAMETERS.contains(parameter.name()) || !parameter.hasOwnRows()) {
                continue; // answered from the record row, or from the rows of the parameters it unites
            }
            for (IFhirPath.IParsedExpression expression : parameter.expressions()) {
                List<IBase> values;
                try {
                    values = fhirPath.evaluate(resource, expression, IBase.class);
                } catch (RuntimeException e) {
                    continue; // an alternative that does not apply to this instance's choice type
                }
                for (IBase value : values) {
                    try {
                        add(entries, parameter, value);
                    } catch (MalformedReference e) {
                        if (refuseMalformedReferences) {
                            throw FhirException.unprocessable(
                                    "The reference '" + e.reference + "' of " + resource.fhirType()
                                            + " (search parameter '" + parameter.name() + "') names no valid id: a"
                                            + " relative reference is Type/id, the id 1 to 64 letters, digits, '-'"
                                            + " and '.'",
                                    resource.fhirType());
                        }
                    }
                }
            }
        }
        entries.addAll(pairedEntries(resource));
        refuseNulCharacters(resource, entries);
        return entries;
    }

    /**
     * A FHIR string may not contain U+0000 (below U+0020 only tab, CR and LF), and PostgreSQL's text cannot hold
     * it: with validation off, such a value would otherwise fail in the database as a 500.
     */
    private static void refuseNulCharacters(Resource resource, List<IndexEntry> entries) {
        for (IndexEntry entry : entries) {
            List<String> texts = switch (entry) {
                case IndexEntry.Token t -> Arrays.asList(t.system(), t.code(), t.text());
                case IndexEntry.Text t -> List.of(t.exact());
                case IndexEntry.Number n -> Arrays.asList(n.system(), n.code());
                case IndexEntry.Ref r -> List.of(r.targetType(), r.targetId());
                case IndexEntry.DateRange d -> List.of();
            };
            for (String text : texts) {
                if (text != null && text.indexOf('\0') >= 0) {
                    throw FhirException.unprocessable(
                            "A value of " + resource.fhirType() + " (search parameter '" + entry.param()
                                    + "') contains the character U+0000, which FHIR strings may not contain",
                            resource.fhirType());
                }
            }
        }
    }

    /** The rows of {@code resource}'s paired composite parameters alone ({@link CompositeParameter#paired()}). */
    public List<IndexEntry> pairedEntries(Resource resource) {
        List<IndexEntry> entries = new ArrayList<>();
        for (CompositeParameter composite :
                registry.compositesOf(resource.fhirType()).values()) {
            if (composite.paired()) {
                addPaired(entries, resource, composite);
            }
        }
        return entries;
    }

    /**
     * The pairs of a paired composite: for each base element (an Observation's component), one row of the second
     * component's kind per value of the first, whose param names that value ({@link CompositeParameter#key}).
     */
    private void addPaired(List<IndexEntry> entries, Resource resource, CompositeParameter composite) {
        List<IBase> elements;
        try {
            elements = fhirPath.evaluate(resource, composite.base(), IBase.class);
        } catch (RuntimeException e) {
            return;
        }
        SearchParameter first = composite.components().get(0);
        SearchParameter second = composite.components().get(1);
        for (IBase element : elements) {
            List<IndexEntry> firstValues = new ArrayList<>();
            List<IBase> secondValues = new ArrayList<>();
            for (IFhirPath.IParsedExpression expression : composite.relative().get(0)) {
                evaluate(element, expression).forEach(value -> add(firstValues, first, value));
            }
            for (IFhirPath.IParsedExpression expression : composite.relative().get(1)) {
                secondValues.addAll(evaluate(element, expression));
            }
            for (IndexEntry firstValue : firstValues) {
                String pairedValue = switch (firstValue) {
                    case IndexEntry.Token token
                    when token.code() != null -> (token.system() == null ? "" : token.system()) + "|" + token.code();
                    case IndexEntry.Ref ref -> ref.targetType() + "/" + ref.targetId();
                    default -> null; // a concept's text: not a value a composite search names
                };
                if (pairedValue == null) {
                    continue;
                }
                SearchParameter keyed = new SearchParameter(
                        second.resourceType(),
                        composite.key(pairedValue),
                        second.kind(),
                        List.of(),
                        second.targetTypes(),
                        second.declaredTargets());
                secondValues.forEach(value -> add(entries, keyed, value));
            }
        }
    }

    private List<IBase> evaluate(IBase element, IFhirPath.IParsedExpression expression) {
        try {
            return fhirPath.evaluate(element, expression, IBase.class);
        } catch (RuntimeException e) {
            return List.of(); // a choice type this element does not have
        }
    }

    private static void add(List<IndexEntry> entries, SearchParameter parameter, IBase value) {
        String name = parameter.name();
        switch (parameter.kind()) {
            case TOKEN, URI -> addToken(entries, name, value);
            case STRING -> addString(entries, name, value);
            case DATE -> addDate(entries, name, value);
            case QUANTITY, NUMBER -> addNumber(entries, name, value);
            case REFERENCE -> addReference(entries, parameter, value);
        }
    }

    private static void addToken(List<IndexEntry> entries, String param, IBase value) {
        if (value instanceof CodeableConcept concept) {
            concept.getCoding().forEach(coding -> addToken(entries, param, coding));
            // The concept's text gets a row of its own (for :text) unless a coding's row already carries it as
            // its display, as in most coded data: a quarter of all token rows repeated a display before.
            if (concept.hasText()
                    && concept.getCoding().stream()
                            .noneMatch(coding ->
                                    coding.hasCode() && concept.getText().equalsIgnoreCase(coding.getDisplay()))) {
                entries.add(new IndexEntry.Token(param, null, null, concept.getText()));
            }
        } else if (value instanceof Coding coding && coding.hasCode()) {
            entries.add(new IndexEntry.Token(param, coding.getSystem(), coding.getCode(), coding.getDisplay()));
        } else if (value instanceof Identifier identifier && identifier.hasValue()) {
            entries.add(new IndexEntry.Token(
                    param,
                    identifier.getSystem(),
                    identifier.getValue(),
                    identifier.getType().getText()));
        } else if (value instanceof ContactPoint contact && contact.hasValue()) {
            entries.add(new IndexEntry.Token(
                    param, contact.hasSystem() ? contact.getSystem().toCode() : null, contact.getValue(), null));
        } else if (value instanceof Enumeration<?> enumeration && enumeration.getValueAsString() != null) {
            entries.add(new IndexEntry.Token(param, enumeration.getSystem(), enumeration.getValueAsString(), null));
        } else if (value instanceof BooleanType bool && bool.getValue() != null) {
            entries.add(new IndexEntry.Token(param, null, bool.getValueAsString(), null));
        } else if (value instanceof IdType id && id.hasIdPart()) {
            entries.add(new IndexEntry.Token(param, null, id.getIdPart(), null));
        } else if (value instanceof PrimitiveType<?> primitive && primitive.getValueAsString() != null) {
            entries.add(new IndexEntry.Token(param, null, primitive.getValueAsString(), null));
        }
    }

    private static void addString(List<IndexEntry> entries, String param, IBase value) {
        if (value instanceof HumanName name) {
            addText(entries, param, name.getFamily());
            name.getGiven().forEach(given -> addText(entries, param, given.getValue()));
            name.getPrefix().forEach(prefix -> addText(entries, param, prefix.getValue()));
            name.getSuffix().forEach(suffix -> addText(entries, param, suffix.getValue()));
            addText(entries, param, name.getText());
        } else if (value instanceof Address address) {
            address.getLine().forEach(line -> addText(entries, param, line.getValue()));
            addText(entries, param, address.getCity());
            addText(entries, param, address.getDistrict());
            addText(entries, param, address.getState());
            addText(entries, param, address.getPostalCode());
            addText(entries, param, address.getCountry());
            addText(entries, param, address.getText());
        } else if (value instanceof PrimitiveType<?> primitive) {
            addText(entries, param, primitive.getValueAsString());
        }
    }

    private static void addText(List<IndexEntry> entries, String param, String text) {
        if (text != null && !text.isBlank()) {
            entries.add(new IndexEntry.Text(param, normalize(text), text));
        }
    }

    /** Lower case without accents: what the default string search and :contains compare. */
    public static String normalize(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT);
    }

    private static void addDate(List<IndexEntry> entries, String param, IBase value) {
        if (value instanceof BaseDateTimeType dateTime && dateTime.getValue() != null) {
            Instant[] range = range(dateTime);
            entries.add(new IndexEntry.DateRange(param, range[0], range[1]));
        } else if (value instanceof Period period && (period.hasStart() || period.hasEnd())) {
            Instant low = period.hasStart() ? range(period.getStartElement())[0] : DISTANT_PAST;
            Instant high = period.hasEnd() ? range(period.getEndElement())[1] : DISTANT_FUTURE;
            entries.add(new IndexEntry.DateRange(param, low, high));
        } else if (value instanceof Timing timing) {
            timing.getEvent().forEach(event -> addDate(entries, param, event));
        }
    }

    /** The instants a date covers at its precision: 2026 covers the whole year, 2026-11-25 the whole day (UTC). */
    public static Instant[] range(BaseDateTimeType dateTime) {
        TemporalPrecisionEnum precision = dateTime.getPrecision();
        if (precision.ordinal() <= TemporalPrecisionEnum.DAY.ordinal() && dateTime.getYear() != null) {
            LocalDate start = LocalDate.of(
                    dateTime.getYear(),
                    precision == TemporalPrecisionEnum.YEAR ? 1 : dateTime.getMonth() + 1,
                    precision == TemporalPrecisionEnum.DAY ? dateTime.getDay() : 1);
            LocalDate end = switch (precision) {
                case YEAR -> start.plusYears(1);
                case MONTH -> start.plusMonths(1);
                default -> start.plusDays(1);
            };
            return new Instant[] {
                start.atStartOfDay(ZoneOffset.UTC).toInstant(),
                end.atStartOfDay(ZoneOffset.UTC).toInstant()
            };
        }
        Instant start = dateTime.getValue().toInstant();
        Instant end = switch (precision) {
            case MINUTE -> start.plusSeconds(60);
            case SECOND -> start.plusSeconds(1);
            default -> start.plusMillis(1);
        };
        return new Instant[] {start, end};
    }

    private static void addNumber(List<IndexEntry> entries, String param, IBase value) {
        if (value instanceof Quantity quantity && quantity.hasValue()) {
            entries.add(new IndexEntry.Number(
                    param,
                    quantity.getValue(),
                    quantity.getSystem(),
                    quantity.hasCode() ? quantity.getCode() : quantity.getUnit()));
        } else if (value instanceof Money money && money.hasValue()) {
            entries.add(new IndexEntry.Number(param, money.getValue(), "urn:iso:std:iso:4217", money.getCurrency()));
        } else if (value instanceof DecimalType decimal && decimal.getValue() != null) {
            entries.add(new IndexEntry.Number(param, decimal.getValue(), null, null));
        } else if (value instanceof IntegerType integer && integer.getValue() != null) {
            entries.add(new IndexEntry.Number(param, BigDecimal.valueOf(integer.getValue()), null, null));
        }
    }

    /** A relative reference whose id is missing or not a FHIR id. */
    private static final class MalformedReference extends RuntimeException {
        final String reference;

        MalformedReference(String reference) {
            super(reference, null, false, false);
            this.reference = reference;
        }
    }

    private static void addReference(List<IndexEntry> entries, SearchParameter parameter, IBase value) {
        if (value instanceof Reference reference
                && reference.hasReference()
                && !reference.getReference().startsWith("#")) {
            String text = reference.getReference();
            if (health.tessera.fhir.ResourceIds.isMalformedRelativeReference(text)) {
                throw new MalformedReference(text);
            }
            IIdType target = reference.getReferenceElement();
            if (!target.hasIdPart() || !target.hasResourceType()) {
                return; // a logical reference (identifier only) or a urn: that was never resolved
            }
            if (!parameter.targetTypes().isEmpty() && !parameter.targetTypes().contains(target.getResourceType())) {
                return;
            }
            entries.add(new IndexEntry.Ref(parameter.name(), target.getResourceType(), target.getIdPart()));
        }
    }
}

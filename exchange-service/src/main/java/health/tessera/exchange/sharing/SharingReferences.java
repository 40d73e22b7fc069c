package health.tessera.exchange.sharing;

import health.tessera.fhir.FhirException;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Reference;

/** The two references sharing resources are made of: the patient (a custodian's Patient) and organisations. */
final class SharingReferences {

    private static final Pattern ORGANIZATION = Pattern.compile("Organization/([A-Za-z0-9\\-.]{1,64})");
    private static final Pattern PATIENT = Pattern.compile("Patient/([A-Za-z0-9\\-.]{1,64})");

    private SharingReferences() {}

    /** The id in {@code Patient/<id>}; else 422 naming {@code expression}. */
    static String patientId(Reference reference, String expression) {
        var matcher = PATIENT.matcher(reference.getReference() == null ? "" : reference.getReference());
        if (!matcher.matches()) {
            throw FhirException.unprocessable(expression + " must reference Patient/<id>", expression);
        }
        return matcher.group(1);
    }

    /**
     * The organisation id in {@code Organization/<org id>} (the id tokens carry in their {@code org} claim); else
     * 422 naming {@code expression}.
     */
    static String organization(Reference reference, String expression) {
        var matcher = ORGANIZATION.matcher(reference.getReference() == null ? "" : reference.getReference());
        if (!matcher.matches()) {
            throw FhirException.unprocessable(
                    expression + " must be Organization/<organisation id>; the exchange shares records with"
                            + " organisations",
                    expression);
        }
        return matcher.group(1);
    }
}

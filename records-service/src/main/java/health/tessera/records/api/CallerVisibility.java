package health.tessera.records.api;

import health.tessera.fhir.Caller;
import health.tessera.records.domain.AccessGrants;
import health.tessera.records.domain.Visibility;
import health.tessera.records.service.PatientCompartments;
import jakarta.enterprise.context.RequestScoped;

/**
 * The {@link Visibility} of this request's caller, worked out once per request (with the consents in force at its
 * start).
 */
@RequestScoped
public class CallerVisibility {

    private final Caller caller;
    private final PatientCompartments compartments;
    private final AccessGrants grants;
    private Visibility visibility;

    public CallerVisibility(Caller caller, PatientCompartments compartments, AccessGrants grants) {
        this.caller = caller;
        this.compartments = compartments;
        this.grants = grants;
    }

    public Visibility get() {
        if (visibility == null) {
            visibility = caller.patientContext()
                    .map(patient -> Visibility.patient(patient, compartments.sourcePatients(patient)))
                    .orElseGet(() -> Visibility.organization(
                            caller.organization(), () -> grants.inForce(caller.organization())));
        }
        return visibility;
    }
}

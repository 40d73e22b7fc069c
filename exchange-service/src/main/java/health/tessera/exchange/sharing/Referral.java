package health.tessera.exchange.sharing;

import health.tessera.events.AccessGrantChanged;
import health.tessera.fhir.FhirException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;

/**
 * A referral as a FHIR workflow Task: the referring organisation (the requester, the custodian) asks another
 * organisation (the {@code owner}) to take over part of a patient's care. Once the owner has accepted it, and until
 * it is finished (completed, failed, cancelled, rejected) or its {@code restriction.period} ends, the owner reads the
 * referring organisation's records of that patient. The owner moves the task along (status, reasons, notes,
 * outputs) and changes nothing else; the requester may change anything, cancelling included.
 */
@ApplicationScoped
public class Referral implements SharingRule<Task> {

    /** While the task is in one of these states, the owner sees the patient's records. */
    static final Set<TaskStatus> GRANTING = Set.of(TaskStatus.ACCEPTED, TaskStatus.INPROGRESS, TaskStatus.ONHOLD);

    /** The states an owner may move a task to; the others (draft, requested, cancelled…) are the requester's. */
    static final Set<TaskStatus> OWNER_MAY_SET = Set.of(
            TaskStatus.RECEIVED,
            TaskStatus.ACCEPTED,
            TaskStatus.REJECTED,
            TaskStatus.INPROGRESS,
            TaskStatus.ONHOLD,
            TaskStatus.COMPLETED,
            TaskStatus.FAILED);

    @Override
    public String resourceType() {
        return "Task";
    }

    @Override
    public Class<Task> resourceClass() {
        return Task.class;
    }

    @Override
    public String participantParameter() {
        return "owner";
    }

    @Override
    public void requireEnforceable(Task task) {
        if (!task.hasStatus()) {
            throw FhirException.unprocessable("Task.status is required", "Task.status");
        }
        if (!task.hasIntent()) {
            throw FhirException.unprocessable("Task.intent is required", "Task.intent");
        }
        if (!task.hasFor()) {
            throw FhirException.unprocessable("Task.for (the patient referred) is required", "Task.for");
        }
        patientId(task);
        if (!task.hasOwner()) {
            throw FhirException.unprocessable(
                    "Task.owner (the organisation the patient is referred to) is required", "Task.owner");
        }
        SharingReferences.organization(task.getOwner(), "Task.owner");
        if (task.getRestriction().hasRecipient()) {
            throw FhirException.unprocessable(
                    "Task.restriction.recipient is not supported: the owner is who the referral shares records with",
                    "Task.restriction.recipient");
        }
        var period = task.getRestriction().getPeriod();
        if (period.hasStart() && period.hasEnd() && !period.getEnd().after(period.getStart())) {
            throw FhirException.unprocessable(
                    "Task.restriction.period ends before it starts", "Task.restriction.period");
        }
    }

    @Override
    public String patientId(Task task) {
        return SharingReferences.patientId(task.getFor(), "Task.for");
    }

    @Override
    public List<String> participants(Task task) {
        return List.of(SharingReferences.organization(task.getOwner(), "Task.owner"));
    }

    @Override
    public void stampCustodian(Task task, String organization) {
        task.setRequester(new Reference("Organization/" + organization));
    }

    @Override
    public AccessGrantChanged grant(String id, int version, Task task, String custodian, boolean deleted) {
        boolean active = !deleted && GRANTING.contains(task.getStatus());
        var period = task.getRestriction().getPeriod();
        Instant from = period.hasStart() ? period.getStart().toInstant() : null;
        Instant to = period.hasEnd() ? period.getEnd().toInstant() : null;
        return new AccessGrantChanged(
                "Task/" + id,
                version,
                "referral",
                custodian,
                patientId(task),
                active ? participants(task) : List.of(),
                List.of(),
                from,
                to,
                active);
    }

    /** The owner moves the task along: its status (not to the requester's states) and the notes on it. */
    @Override
    public void requireParticipantChange(Task current, Task proposed) {
        if (!OWNER_MAY_SET.contains(proposed.getStatus())) {
            throw new FhirException(
                    403,
                    IssueType.FORBIDDEN,
                    "The task's owner may set its status to "
                            + OWNER_MAY_SET.stream()
                                    .map(TaskStatus::toCode)
                                    .sorted()
                                    .toList() + "; " + proposed.getStatus().toCode() + " is the requester's");
        }
        Task expected = current.copy();
        expected.setStatus(proposed.getStatus());
        expected.setStatusReason(proposed.getStatusReason());
        expected.setBusinessStatus(proposed.getBusinessStatus());
        expected.setNote(proposed.getNote());
        expected.setOutput(proposed.getOutput());
        expected.setExecutionPeriod(proposed.getExecutionPeriod());
        expected.setLastModifiedElement(proposed.getLastModifiedElement());
        Task compared = proposed.copy();
        for (Task task : List.of(expected, compared)) {
            task.setIdElement(null);
            task.setMeta(null);
            task.setText(null);
        }
        if (!compared.equalsDeep(expected)) {
            throw new FhirException(
                    403,
                    IssueType.FORBIDDEN,
                    "The task's owner may change only status, statusReason, businessStatus, note, output,"
                            + " executionPeriod and lastModified; the requester changes the rest");
        }
    }
}

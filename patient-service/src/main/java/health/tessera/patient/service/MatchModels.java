package health.tessera.patient.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.tessera.fhir.FhirException;
import health.tessera.patient.domain.MatchModelStore;
import health.tessera.patient.matching.Features;
import health.tessera.patient.matching.Level;
import health.tessera.patient.matching.MatchModel;
import health.tessera.patient.matching.ModelTrainer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The matching model's life: the built-in defaults until an operator trains one on the stored population (EM, see
 * {@link ModelTrainer}) or sets the parameters; every change is stored ({@link MatchModelStore}) and used at once
 * here and, at their next identity decision, by the other replicas. Links keep the explanation they were made
 * with.
 */
@ApplicationScoped
public class MatchModels {

    private final MatchModelStore store;
    private final PatientMatching matching;
    private final ObjectMapper json;
    private final int minTrainingRecords;

    public MatchModels(
            MatchModelStore store,
            PatientMatching matching,
            ObjectMapper json,
            @ConfigProperty(name = "tessera.mpi.model.min-training-records", defaultValue = "1000")
                    int minTrainingRecords) {
        this.store = store;
        this.matching = matching;
        this.json = json;
        this.minTrainingRecords = minTrainingRecords;
    }

    /** The model in force as the API shows it. */
    public record ModelView(
            int version,
            String source,
            String summary,
            String actor,
            java.time.Instant createdAt,
            MatchModel.Parameters parameters) {}

    public ModelView current() {
        return store.current()
                .map(s -> view(s, matching.modelOf(s)))
                .orElseGet(() -> new ModelView(
                        0, "defaults", null, null, null, MatchModel.defaults().parameters()));
    }

    /**
     * Fits m, u, the priors and the strict conflicts to the records indexed now (no labels needed) and puts the
     * model in force; the thresholds stay those of the model in use. 422 with too few records to estimate from.
     */
    public ModelView train(String actor) {
        List<Features> population = matching.features();
        if (population.size() < minTrainingRecords) {
            throw FhirException.unprocessable(
                    "Training needs at least " + minTrainingRecords + " records; the index holds " + population.size(),
                    null);
        }
        MatchModel trained = ModelTrainer.train(population, matching.model()); // (its thresholds are kept)
        try {
            check(trained.parameters());
        } catch (FhirException e) {
            throw FhirException.unprocessable(
                    "The " + population.size() + " records did not give a usable model (" + e.getMessage()
                            + "); the model in force is unchanged",
                    null);
        }
        return save("trained", trained, trained.training(), actor);
    }

    /** Puts operator-set parameters in force, after checking they describe a usable model (else 422). */
    public ModelView configure(MatchModel.Parameters parameters, String actor) {
        check(parameters);
        return save("configured", MatchModel.of(parameters), "set by " + actor, actor);
    }

    /** Back to the built-in defaults. */
    public ModelView reset(String actor) {
        MatchModelStore.StoredModel stored = store.save("defaults", null, "reset by " + actor, actor);
        matching.use(stored);
        return view(stored, MatchModel.defaults());
    }

    private ModelView save(String source, MatchModel model, String summary, String actor) {
        String parameters;
        try {
            parameters = json.writeValueAsString(model.parameters());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the matching model", e);
        }
        MatchModelStore.StoredModel stored = store.save(source, parameters, summary, actor);
        matching.use(stored);
        return view(stored, model);
    }

    private static ModelView view(MatchModelStore.StoredModel stored, MatchModel model) {
        return new ModelView(
                stored.version(),
                stored.source(),
                stored.summary(),
                stored.actor(),
                stored.createdAt(),
                model.parameters());
    }

    private static void check(MatchModel.Parameters p) {
        if (p == null || p.fields() == null || p.strictConflicts() == null) {
            throw FhirException.unprocessable("The model needs its fields and strictConflicts", null);
        }
        requireProbability("lambda", p.lambda());
        if (!(p.eta() >= 0 && p.lambda() + p.eta() < 1)) {
            throw FhirException.unprocessable("eta must be at least 0, and lambda + eta below 1", "eta");
        }
        requireProbability("upperProbability", p.upperProbability());
        requireProbability("lowerProbability", p.lowerProbability());
        if (p.lowerProbability() >= p.upperProbability()) {
            throw FhirException.unprocessable(
                    "lowerProbability must be below upperProbability (the review band lies between them)",
                    "lowerProbability");
        }
        for (MatchModel.FieldParameters f : p.fields()) {
            if (f.field() == null || f.m() == null || f.u() == null) {
                throw FhirException.unprocessable("Each field needs its name, m and u", "fields");
            }
            for (Map.Entry<String, Map<Level, Double>> values :
                    Map.of("m", f.m(), "u", f.u()).entrySet()) {
                double sum = 0;
                for (Map.Entry<Level, Double> v : values.getValue().entrySet()) {
                    if (v.getValue() == null || !(v.getValue() >= 0 && v.getValue() <= 1)) {
                        throw FhirException.unprocessable(
                                f.field() + " " + values.getKey() + "[" + v.getKey() + "] must be between 0 and 1",
                                "fields");
                    }
                    sum += v.getValue();
                }
                if (sum <= 0 || sum > 1.0001) {
                    throw FhirException.unprocessable(
                            f.field() + " " + values.getKey() + " must add up to at most 1 over its levels (is " + sum
                                    + ")",
                            "fields");
                }
            }
        }
        if (p.fields().stream()
                        .map(MatchModel.FieldParameters::field)
                        .distinct()
                        .count()
                != p.fields().size()) {
            throw FhirException.unprocessable("A field appears twice", "fields");
        }
    }

    private static void requireProbability(String name, double value) {
        if (!(value > 0 && value < 1)) {
            throw FhirException.unprocessable(name + " must be a probability between 0 and 1 (exclusive)", name);
        }
    }
}

package atrium.sim.scenario;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.OptBoolean;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a scenario-file field that may be left out. The record's constructor then puts in the
 * default (documented in {@code docs/scenarios.md}); a field still {@code null} is not written.
 * Every other field is required: see {@link ScenarioJson}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
@JacksonAnnotationsInside
@JsonProperty(isRequired = OptBoolean.FALSE)
@JsonInclude(JsonInclude.Include.NON_NULL)
@interface OptionalField {}

package org.edgevim.api.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.edgevim.core.error.InvalidInputException;
import org.edgevim.core.error.VimException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every failure becomes an RFC 7807 problem here, in one place. Bad input is a 4xx naming the
 * field; only faults of the VIM itself are 5xx, and those never expose internals.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response vim(VimException e) {
        int status = switch (e.kind()) {
            case INVALID_INPUT -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case BACKEND_FAILURE -> 502;
        };
        if (status >= 500) {
            LOG.error(e.getMessage(), e);
        }
        String field = e instanceof InvalidInputException invalid ? invalid.field() : null;
        return problem(status, e.getMessage(), field);
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        ConstraintViolation<?> first = e.getConstraintViolations().iterator().next();
        String field = fieldOf(first.getPropertyPath().toString());
        String detail = e.getConstraintViolations().stream()
                .map(v -> fieldOf(v.getPropertyPath().toString()) + ": " + v.getMessage())
                .sorted().collect(Collectors.joining("; "));
        return problem(400, detail, field);
    }

    /** Declared separately because Quarkus ships its own (body-less) mapper for this subtype. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        // Validation inside a value's constructor surfaces wrapped by Jackson.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof VimException vim) {
                return vim(vim);
            }
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            String field = path(unknown);
            return problem(400, field + ": unknown field (known: " + unknown.getKnownPropertyIds() + ")", field);
        }
        if (e instanceof InvalidFormatException format && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            String field = path(format);
            return problem(400, field + ": must be one of " + Arrays.toString(format.getTargetType().getEnumConstants()),
                    field);
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = path(mapping);
            return problem(400, field + ": " + e.getOriginalMessage(), field);
        }
        return problem(400, "Malformed JSON: " + e.getOriginalMessage(), null);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        // Quarkus reports unparseable bodies as a bare 400 with the parser's exception as cause.
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        int status = e.getResponse().getStatus();
        String detail = status == 415 ? "Send the body as application/json" : e.getMessage();
        return problem(status, detail, null);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("Unexpected failure", e);
        return problem(500, "The VIM failed unexpectedly; the operator can find the cause in its log", null);
    }

    public static Response problem(int status, String detail, String field) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "HTTP " + status;
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, field))
                .build();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** "allocate.body.flavour.virtualCpu" -> "flavour.virtualCpu" */
    private static String fieldOf(String propertyPath) {
        String[] parts = propertyPath.split("\\.");
        return parts.length > 2 ? String.join(".", Arrays.copyOfRange(parts, 2, parts.length)) : propertyPath;
    }
}

package org.edgevim.api.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 7807 problem body. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field) {

    public static final String MEDIA_TYPE = "application/problem+json";
}

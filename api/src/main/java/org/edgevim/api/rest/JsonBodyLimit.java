package org.edgevim.api.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import org.edgevim.api.problem.ProblemMappers;

/**
 * The HTTP body limit is as large as the largest image, because uploads stream to disk. JSON
 * bodies are parsed in memory, so they get a limit of their own, checked before anything is read.
 */
@Provider
@PreMatching
public class JsonBodyLimit implements ContainerRequestFilter {

    static final int MAX_JSON_BYTES = 1 << 20;

    @Override
    public void filter(ContainerRequestContext request) {
        MediaType type = request.getMediaType();
        if (type != null && MediaType.APPLICATION_OCTET_STREAM_TYPE.isCompatible(type)) {
            return;
        }
        if (request.getLength() > MAX_JSON_BYTES) {
            request.abortWith(ProblemMappers.problem(413, "request bodies other than image uploads are limited to "
                    + MAX_JSON_BYTES + " bytes", null));
            return;
        }
        // A chunked body announces no length: it could only be bounded after reading it into memory.
        String encoding = request.getHeaderString("Transfer-Encoding");
        if (encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
            request.abortWith(ProblemMappers.problem(411, "send request bodies other than image uploads with a "
                    + "Content-Length (at most " + MAX_JSON_BYTES + " bytes), not chunked", null));
        }
    }
}

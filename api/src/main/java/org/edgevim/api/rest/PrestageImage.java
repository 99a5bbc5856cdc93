package org.edgevim.api.rest;

import java.util.List;

/** Body of {@code POST /mm4/v1/images/{imageId}/prestage}. */
public record PrestageImage(List<String> hostIds) {
}

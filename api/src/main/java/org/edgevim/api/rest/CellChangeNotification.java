package org.edgevim.api.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * ETSI GS MEC 012 (Radio Network Information) CellChangeNotification, the fields the VIM uses.
 * Radio events carry more (PLMN ids, timestamps, temporary UE ids, links) and may carry vendor
 * extensions: unknown fields are ignored here, unlike in the VIM's own API.
 *
 * @param hoStatus    IN_PREPARATION, IN_EXECUTION, COMPLETED, REJECTED or CANCELLED (or 1-5)
 * @param srcEcgi     the cell the UE is in
 * @param trgEcgi     the target cell(s)
 * @param associateId the UE's identities; a VM follows the UE whose value is in its mobility.ueIds
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CellChangeNotification(String notificationType, String hoStatus, Ecgi srcEcgi, List<Ecgi> trgEcgi,
        List<AssociateId> associateId) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Ecgi(String cellId) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AssociateId(String type, String value) {
    }
}

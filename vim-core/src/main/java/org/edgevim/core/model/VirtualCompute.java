package org.edgevim.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A virtualised compute resource (IFA 005 clause 8.4.3.2, the fields the VIM manages).
 *
 * @param computeId        identifier assigned by the VIM (a UUID); also the backend's name for it
 * @param computeName      the caller's label
 * @param flavour          its size
 * @param vcImageId        the software image it was created from
 * @param hostId           the edge host it runs on
 * @param zoneId           the zone of that host
 * @param operationalState as last observed
 * @param metadata         caller-defined key/value pairs
 * @param createdAt        when the VIM accepted the allocation
 * @param mobility         its users and how it may follow them between hosts
 */
public record VirtualCompute(
        String computeId,
        String computeName,
        ComputeFlavour flavour,
        String vcImageId,
        String hostId,
        String zoneId,
        OperationalState operationalState,
        Map<String, String> metadata,
        Instant createdAt,
        MobilityProfile mobility) {

    public VirtualCompute {
        Objects.requireNonNull(computeId, "computeId");
        Objects.requireNonNull(computeName, "computeName");
        Objects.requireNonNull(flavour, "flavour");
        Objects.requireNonNull(vcImageId, "vcImageId");
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(zoneId, "zoneId");
        Objects.requireNonNull(operationalState, "operationalState");
        metadata = Map.copyOf(metadata == null ? Map.of() : metadata);
        Objects.requireNonNull(createdAt, "createdAt");
        mobility = mobility == null ? MobilityProfile.DEFAULT : mobility;
    }

    public VirtualCompute withState(OperationalState state) {
        return new VirtualCompute(computeId, computeName, flavour, vcImageId, hostId, zoneId, state, metadata, createdAt,
                mobility);
    }

    /** The same VM on another host, in the state it has there. */
    public VirtualCompute movedTo(String newHostId, String newZoneId, OperationalState state) {
        return new VirtualCompute(computeId, computeName, flavour, vcImageId, newHostId, newZoneId, state, metadata,
                createdAt, mobility);
    }

    public VirtualCompute withMetadata(Map<String, String> newMetadata) {
        return new VirtualCompute(computeId, computeName, flavour, vcImageId, hostId, zoneId, operationalState,
                newMetadata, createdAt, mobility);
    }

    public VirtualCompute withMobility(MobilityProfile newMobility) {
        return new VirtualCompute(computeId, computeName, flavour, vcImageId, hostId, zoneId, operationalState,
                metadata, createdAt, newMobility);
    }
}

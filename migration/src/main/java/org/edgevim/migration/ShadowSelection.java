package org.edgevim.migration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which hosts get a shadow for a prediction: candidate cells map to the hosts serving them; a cell
 * of the VM's own host needs nothing (the user stays with the VM); per host the highest likelihood
 * of its cells counts; hosts below the policy's minimum likelihood are left out; of the rest the
 * most likely {@code maxShadows}, ties broken by host id.
 */
final class ShadowSelection {

    /** One host to prepare: its predicted cells and their best likelihood. */
    record Pick(String hostId, List<String> cellIds, double likelihood) {
    }

    private ShadowSelection() {
    }

    /**
     * @param candidates  cell to likelihood, in the order predicted
     * @param hostOfCell  the host serving a cell, if any does
     * @param ownHost     the VM's host
     */
    static List<Pick> select(Map<String, Double> candidates, Function<String, Optional<String>> hostOfCell,
            String ownHost, ShadowPolicy policy) {
        Map<String, List<String>> cellsByHost = new LinkedHashMap<>();
        Map<String, Double> likelihoodByHost = new LinkedHashMap<>();
        candidates.forEach((cell, likelihood) -> hostOfCell.apply(cell).filter(host -> !host.equals(ownHost))
                .ifPresent(host -> {
                    cellsByHost.computeIfAbsent(host, h -> new ArrayList<>()).add(cell);
                    likelihoodByHost.merge(host, likelihood, Math::max);
                }));
        return likelihoodByHost.entrySet().stream()
                .filter(e -> e.getValue() >= policy.minLikelihood())
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(policy.maxShadows())
                .map(e -> new Pick(e.getKey(), cellsByHost.get(e.getKey()), e.getValue()))
                .collect(Collectors.toList());
    }
}

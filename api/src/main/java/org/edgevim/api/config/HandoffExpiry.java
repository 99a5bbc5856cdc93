package org.edgevim.api.config;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.edgevim.migration.HandoffService;

/** Ends handoffs whose prediction's time-to-live ran out, within about a second of it. */
@ApplicationScoped
public class HandoffExpiry {

    private final HandoffService handoffs;

    public HandoffExpiry(HandoffService handoffs) {
        this.handoffs = handoffs;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expire() {
        handoffs.expireDue();
    }
}

package org.edgevim.core.model;

/** IFA 005 termination types. */
public enum TerminationType {
    /** Ask the guest to shut down (ACPI), wait up to the graceful timeout, then destroy. */
    GRACEFUL,
    /** Destroy at once. */
    FORCEFUL
}

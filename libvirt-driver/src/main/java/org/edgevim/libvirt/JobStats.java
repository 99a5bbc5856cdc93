package org.edgevim.libvirt;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;
import org.libvirt.Domain;
import org.edgevim.core.error.BackendException;
import org.libvirt.jna.DomainPointer;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.virTypedParameter;

/**
 * virDomainGetJobStats, which libvirt-java declares in its JNA binding but does not expose: the
 * typed statistics of a domain's job (pre-copy iteration, dirty rate, and for a completed
 * migration the downtime), beyond the fixed fields of virDomainGetJobInfo.
 *
 * @param type   virDomainJobType (0 none, 1 bounded, 2 unbounded, 3 completed, 4 failed, 5 cancelled)
 * @param fields statistic name (e.g. {@code memory_iteration}, {@code downtime}) to number
 */
record JobStats(int type, Map<String, Long> fields) {

    /** VIR_DOMAIN_JOB_STATS_COMPLETED: the last completed job instead of the current one. */
    static final int COMPLETED = 1;
    /**
     * struct _virTypedParameter { char field[80]; int type; union {...} value; } on LP64: the union
     * holds 8-byte members, so it starts at 88 and the struct is 96 bytes.
     */
    private static final int FIELD_LENGTH = 80;
    private static final int TYPE_OFFSET = 80;
    private static final int VALUE_OFFSET = 88;
    private static final int SIZE = 96;

    long get(String name) {
        return fields.getOrDefault(name, 0L);
    }

    boolean has(String name) {
        return fields.containsKey(name);
    }

    static JobStats of(Domain domain, int flags) {
        IntByReference type = new IntByReference();
        PointerByReference params = new PointerByReference();
        IntByReference count = new IntByReference();
        if (Libvirt.INSTANCE.virDomainGetJobStats(pointer(domain), type, params, count, flags) < 0) {
            org.libvirt.Error error = new org.libvirt.Error(Libvirt.INSTANCE.virGetLastError());
            throw new BackendException("libvirt could not read the job statistics: " + error.getMessage(), null);
        }
        Map<String, Long> fields = new HashMap<>();
        Pointer array = params.getValue();
        if (array == null) {
            return new JobStats(type.getValue(), fields);
        }
        try {
            for (int i = 0; i < count.getValue(); i++) {
                Pointer parameter = array.share((long) i * SIZE);
                String name = com.sun.jna.Native.toString(parameter.getByteArray(0, FIELD_LENGTH));
                Pointer value = parameter.share(VALUE_OFFSET);
                switch (parameter.getInt(TYPE_OFFSET)) {
                    case virTypedParameter.TYPED_PARAM_INT, virTypedParameter.TYPED_PARAM_BOOLEAN ->
                            fields.put(name, (long) value.getInt(0));
                    case virTypedParameter.TYPED_PARAM_UINT -> fields.put(name, value.getInt(0) & 0xffffffffL);
                    case virTypedParameter.TYPED_PARAM_LONG, virTypedParameter.TYPED_PARAM_ULONG ->
                            fields.put(name, value.getLong(0));
                    case virTypedParameter.TYPED_PARAM_DOUBLE -> fields.put(name, (long) value.getDouble(0));
                    default -> { } // strings: none of the job statistics the VIM reads
                }
            }
        } finally {
            Libvirt.INSTANCE.virTypedParamsFree(array, count.getValue());
        }
        return new JobStats(type.getValue(), fields);
    }

    /** The native handle libvirt-java keeps in a package-private field. */
    static DomainPointer pointer(Domain domain) {
        try {
            Field vdp = Domain.class.getDeclaredField("vdp");
            vdp.setAccessible(true);
            return (DomainPointer) vdp.get(domain);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this libvirt-java has no Domain.vdp; job statistics need it", e);
        }
    }
}

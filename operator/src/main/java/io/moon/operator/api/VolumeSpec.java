package io.moon.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One persistent volume per pod. The size may grow (the operator expands the claims, which
 * needs a storage class with allowVolumeExpansion) but never shrink: Kubernetes cannot shrink
 * a volume, and the data on it would not fit.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "quantity(self.size).compareTo(quantity(oldSelf.size)) >= 0", message = "storage may not shrink")
@ValidationRule(value = "(has(self.storageClassName) ? self.storageClassName : '') == (has(oldSelf.storageClassName) ? oldSelf.storageClassName : '')",
        message = "storageClassName cannot be changed")
public class VolumeSpec {
    /** A Kubernetes quantity in bytes with an optional binary or decimal suffix. */
    public static final String SIZE_PATTERN = "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$";

    @Required
    @Pattern(SIZE_PATTERN)
    @Size(max = 32)
    @JsonPropertyDescription("Requested size, a Kubernetes quantity such as 10Gi.")
    public String size;

    @Size(max = 253)
    @JsonPropertyDescription("Storage class of the claims (default: the cluster's default class).")
    public String storageClassName;

    public VolumeSpec() {}

    public VolumeSpec(String size, String storageClassName) {
        this.size = size;
        this.storageClassName = storageClassName;
    }
}

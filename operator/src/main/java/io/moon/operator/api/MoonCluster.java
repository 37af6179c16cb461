package io.moon.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A Moon cluster: {@code shards} StatefulSets of {@code 1 + replicasPerShard} data nodes each.
 * The CRD in crds/ is generated from this class and the types it references; never edit the
 * YAML, change these classes and run {@code mvn -pl operator -am process-classes -Pupdate-crds}.
 *
 * <p>The name becomes part of StatefulSet, Service and PVC names, so it is limited to a DNS-1035
 * label short enough that {@code <name>-<shard>} stays within the 52 characters a StatefulSet
 * name may have (its pods' controller-revision-hash label adds 11 more).
 */
@Group(MoonCluster.GROUP)
@Version(MoonCluster.VERSION)
@Kind("MoonCluster")
@Plural("moonclusters")
@ShortNames("moon")
@ValidationRule(value = "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$') && size(self.metadata.name) <= "
        + MoonCluster.MAX_NAME_LENGTH, message = "metadata.name must be a DNS-1035 label of at most "
        + MoonCluster.MAX_NAME_LENGTH + " characters")
@AdditionalPrinterColumn(name = "Shards", jsonPath = ".spec.shards", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".spec.replicasPerShard", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.ready", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class MoonCluster extends CustomResource<MoonClusterSpec, MoonClusterStatus> implements Namespaced {
    public static final String GROUP = "moon.io";
    public static final String VERSION = "v1alpha1";
    /** 52 (StatefulSet name limit) minus "-" and up to four shard digits. */
    public static final int MAX_NAME_LENGTH = 47;

    public MoonCluster() {}

    public MoonCluster(String namespace, String name, MoonClusterSpec spec) {
        getMetadata().setNamespace(namespace);
        getMetadata().setName(name);
        setSpec(spec);
    }
}

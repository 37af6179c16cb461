package io.moon.operator.reconcile;

import java.time.Duration;

/**
 * What the reconciler needs from the operator's configuration.
 *
 * @param defaultNodeImage image of data nodes whose spec names none
 * @param recheckInterval how often a cluster that is not Ready is looked at again, besides the
 *     events of its StatefulSets
 */
public record OperatorSettings(String defaultNodeImage, Duration recheckInterval) {
    public OperatorSettings {
        if (defaultNodeImage == null || defaultNodeImage.isBlank()) throw new IllegalArgumentException("defaultNodeImage is required");
    }
}

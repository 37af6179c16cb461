package io.moon.node.command;

import io.moon.node.testing.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the server-command tests: one 4-shard node per test class, DEBUG enabled. */
abstract class FourShardNode {
    static TestNode node;

    @BeforeAll
    static void startNode() {
        node = TestNode.start("shards", "4", "enable-debug-command", "yes");
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }
}

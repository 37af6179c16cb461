package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.testing.RawClient;
import io.moon.node.testing.RedisServer;
import io.moon.node.testing.TestNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every command and subcommand Moon has, as COMMAND INFO reports it, against a real
 * redis-server's COMMAND INFO: arity, flags, first/last/step key positions, ACL categories, and
 * key specs where Moon declares them. All differences are collected and reported together.
 */
class CommandTableVsRedisIT {
    /** Commands newer than Redis 7.0 that Moon has (7.2's CLIENT NO-TOUCH and SETINFO). */
    private static final Set<String> NOT_IN_REDIS_70 = Set.of("client|no-touch", "client|setinfo");

    @Test
    @SuppressWarnings("unchecked")
    void everyRowMatchesRedis() throws Exception {
        try (TestNode node = TestNode.start("shards", "4");
             RedisServer redis = RedisServer.start();
             RawClient moon = node.raw();
             RawClient real = redis.raw()) {
            List<Object> names = (List<Object>) moon.call("COMMAND", "LIST");
            assertThat(names).contains("get", "info", "config|get", "client|list");
            List<String> differences = new ArrayList<>();
            int compared = 0;
            for (Object n : names) {
                String name = (String) n;
                if (NOT_IN_REDIS_70.contains(name)) continue;
                List<Object> ours = (List<Object>) ((List<Object>) moon.call("COMMAND", "INFO", name)).get(0);
                Object theirsReply = ((List<Object>) real.call("COMMAND", "INFO", name)).get(0);
                if (theirsReply == null) {
                    differences.add(name + ": Redis 7.0 has no such command");
                    continue;
                }
                compare(name, ours, (List<Object>) theirsReply, differences);
                compared++;
            }
            assertThat(compared).isGreaterThan(40);
            assertThat(differences).as("rows that differ from Redis 7.0's COMMAND INFO").isEmpty();
        }
    }

    @SuppressWarnings("unchecked")
    private static void compare(String name, List<Object> ours, List<Object> theirs, List<String> out) {
        if (!ours.get(1).equals(theirs.get(1))) out.add(name + ": arity " + ours.get(1) + ", Redis " + theirs.get(1));
        Set<Object> flags = new HashSet<>((List<Object>) ours.get(2)), redisFlags = new HashSet<>((List<Object>) theirs.get(2));
        if (!flags.equals(redisFlags)) out.add(name + ": flags " + flags + ", Redis " + redisFlags);
        List<Object> keys = ours.subList(3, 6), redisKeys = theirs.subList(3, 6);
        if (!keys.equals(redisKeys)) out.add(name + ": first/last/step " + keys + ", Redis " + redisKeys);
        Set<Object> acl = new HashSet<>((List<Object>) ours.get(6)), redisAcl = new HashSet<>((List<Object>) theirs.get(6));
        if (!acl.equals(redisAcl)) out.add(name + ": ACL categories " + acl + ", Redis " + redisAcl);
        List<Object> specs = (List<Object>) ours.get(8);
        if (!specs.isEmpty() && !specs.equals(theirs.get(8))) {
            out.add(name + ": key specs " + specs + ", Redis " + theirs.get(8));
        }
    }
}

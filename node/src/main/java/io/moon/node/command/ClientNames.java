package io.moon.node.command;

/** Redis's validateClientName: printable ASCII without blanks (33..126). */
final class ClientNames {
    private ClientNames() {}

    static boolean valid(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') return false;
        }
        return true;
    }
}

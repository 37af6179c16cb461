package io.moon.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The default user's password (requirepass), read from a Secret in the cluster's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuthSpec {
    @Required
    @JsonPropertyDescription("The Secret holding the password.")
    public SecretKeyRef passwordSecret;

    public AuthSpec() {}

    public AuthSpec(String secretName, String key) {
        this.passwordSecret = new SecretKeyRef(secretName, key);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SecretKeyRef {
        @Required
        @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
        @JsonPropertyDescription("Secret name.")
        public String name;

        @Pattern("^[-._a-zA-Z0-9]+$")
        @JsonPropertyDescription("Key in the Secret (default password).")
        public String key;

        public SecretKeyRef() {}

        public SecretKeyRef(String name, String key) {
            this.name = name;
            this.key = key;
        }
    }
}

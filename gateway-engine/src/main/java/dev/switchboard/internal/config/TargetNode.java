package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A leaf: one provider call.
 *
 * @param provider   the provider id ({@code openai}); for a virtual key, the key's provider id
 * @param virtualKey the {@code @slug} when {@code provider} named a registered key, else null
 * @param options    the target's provider fields as written, secrets' ${VAR} expanded (api_key,
 *                   custom_host after inheritance, openai_organization, resource_name, aws_region, …),
 *                   never the routing fields;
 *                   read-only by contract
 */
public record TargetNode(
        String path,
        String pointer,
        String name,
        double weight,
        Settings settings,
        String provider,
        String virtualKey,
        ObjectNode options)
        implements ConfigNode {

    @Override
    public String toString() {
        // options may hold api_key: show the field names only
        return "TargetNode{" + path + ", provider=" + provider
                + (virtualKey == null ? "" : ", virtualKey=" + virtualKey)
                + ", fields=" + iterableToString(options.fieldNames()) + "}";
    }

    private static String iterableToString(java.util.Iterator<String> it) {
        StringBuilder sb = new StringBuilder("[");
        while (it.hasNext()) {
            sb.append(it.next());
            if (it.hasNext()) {
                sb.append(", ");
            }
        }
        return sb.append(']').toString();
    }
}

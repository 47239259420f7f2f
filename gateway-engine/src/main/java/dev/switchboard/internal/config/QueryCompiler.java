package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Json;
import dev.switchboard.regex.RegexBudget;
import dev.switchboard.spi.support.NearestName;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles a conditional-routing {@code query} (reference §1.7, DESIGN §3) into a {@link Query}.
 * Unlike Portkey, every key of a query object is AND-ed (a {@code $or} does not hide its siblings),
 * paths may be deep or JsonPath, {@code $exists} and {@code $not} exist, and a bad operator, operand
 * or regex is a compile-time problem rather than a request-time 400. A {@code $regex} is at most
 * {@link RegexBudget#MAX_PATTERN_LENGTH} characters and runs under {@link RegexBudget#DEFAULT}.
 *
 * <p>Matching allocates nothing for dotted paths: operands are prepared at compile time (their
 * number, their text), a path yields its one value or null instead of a list, and numbers compare as
 * {@code long}s when both sides are integers (a {@code $regex} allocates its matcher; a JsonPath its
 * result).
 *
 * <pre>{@code
 * Query q = QueryCompiler.compile(Json.parse("{\"metadata.plan\":{\"$in\":[\"pro\",\"team\"]}}"), "/q", problems);
 * q.matches(Json.parse("{\"metadata\":{\"plan\":\"pro\"}}"));  // true
 * }</pre>
 */
final class QueryCompiler {
    /**
     * A test of the values found at a path. A dotted path finds at most one value, passed to
     * {@link #one} (null: absent) without a list; a JsonPath may find several ({@link #all}).
     * Neither allocates: the operands are prepared when the query is compiled.
     */
    private interface ValueTest {
        /** {@code value}: the one value found, or null when absent. */
        boolean one(JsonNode value);

        /** {@code values}: every value found; empty when absent. */
        boolean all(List<JsonNode> values);
    }

    /** A test of one value; a list of values passes when any passes, an absent value never does. */
    private interface NodeTest {
        boolean test(JsonNode value);
    }

    private static ValueTest any(NodeTest t) {
        return new ValueTest() {
            @Override
            public boolean one(JsonNode value) {
                return value != null && t.test(value);
            }

            @Override
            public boolean all(List<JsonNode> values) {
                for (int i = 0, n = values.size(); i < n; i++) {
                    if (t.test(values.get(i))) {
                        return true;
                    }
                }
                return false;
            }
        };
    }

    private final Problems problems;

    private QueryCompiler(Problems problems) {
        this.problems = problems;
    }

    /** The compiled query, or null after reporting its problems. */
    static Query compile(JsonNode query, String pointer, Problems problems) {
        int before = problems.size();
        Predicate<JsonNode> predicate = new QueryCompiler(problems).queryObject(query, pointer);
        if (predicate == null || problems.grewSince(before)) {
            return null;
        }
        return new CompiledQuery(predicate, Json.text(query));
    }

    private Predicate<JsonNode> queryObject(JsonNode query, String pointer) {
        if (query == null || !query.isObject()) {
            problems.add(pointer, Found.value(query), "a query object ({\"metadata.plan\": \"paid\"})");
            return null;
        }
        List<Predicate<JsonNode>> parts = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = query.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            String at = ConfigObject.pointer(pointer, key);
            if (key.equals("$and") || key.equals("$or")) {
                parts.add(logical(key, field.getValue(), at));
            } else if (key.startsWith("$") && !key.startsWith("$.")) {
                problems.add(
                        at,
                        "operator " + key,
                        "$and, $or or a path (metadata.…, params.…, url.…, $.…)",
                        NearestName.suggest(key, ConfigKeys.LOGICAL_OPERATORS));
            } else {
                parts.add(field(key, field.getValue(), at));
            }
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        Predicate<JsonNode>[] all = parts.toArray(new Predicate[0]);
        return context -> {
            for (Predicate<JsonNode> part : all) {
                if (part == null || !part.test(context)) {
                    return false;
                }
            }
            return true;
        };
    }

    private Predicate<JsonNode> logical(String operator, JsonNode operand, String pointer) {
        if (!operand.isArray() || operand.isEmpty()) {
            problems.add(pointer, Found.value(operand), "a non-empty array of queries");
            return null;
        }
        List<Predicate<JsonNode>> subs = new ArrayList<>();
        for (int i = 0; i < operand.size(); i++) {
            subs.add(queryObject(operand.get(i), ConfigObject.pointer(pointer, i)));
        }
        boolean any = operator.equals("$or");
        @SuppressWarnings({"unchecked", "rawtypes"})
        Predicate<JsonNode>[] all = subs.toArray(new Predicate[0]);
        return context -> {
            for (Predicate<JsonNode> sub : all) {
                if (sub != null && sub.test(context) == any) {
                    return any;
                }
            }
            return !any;
        };
    }

    private Predicate<JsonNode> field(String path, JsonNode condition, String pointer) {
        QueryPath queryPath;
        try {
            queryPath = QueryPath.compile(path);
        } catch (IllegalArgumentException e) {
            problems.add(pointer, "path \"" + path + "\"", e.getMessage());
            return null;
        }
        ValueTest test = isOperatorObject(condition) ? operators(condition, pointer) : equalTo(condition);
        if (test == null) {
            return null;
        }
        return queryPath.isDotted()
                ? context -> test.one(queryPath.resolveOne(context))
                : context -> test.all(queryPath.resolve(context));
    }

    private static boolean isOperatorObject(JsonNode node) {
        if (!node.isObject()) {
            return false;
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            if (names.next().startsWith("$")) {
                return true;
            }
        }
        return false;
    }

    /** An object of operators, all AND-ed. */
    private ValueTest operators(JsonNode object, String pointer) {
        List<ValueTest> tests = new ArrayList<>();
        boolean ok = true;
        Iterator<Map.Entry<String, JsonNode>> fields = object.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            ValueTest test = operator(field.getKey(), field.getValue(), ConfigObject.pointer(pointer, field.getKey()));
            ok &= test != null;
            tests.add(test);
        }
        if (!ok) {
            return null;
        }
        ValueTest[] each = tests.toArray(new ValueTest[0]);
        return new ValueTest() {
            @Override
            public boolean one(JsonNode value) {
                for (ValueTest t : each) {
                    if (!t.one(value)) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public boolean all(List<JsonNode> values) {
                for (ValueTest t : each) {
                    if (!t.all(values)) {
                        return false;
                    }
                }
                return true;
            }
        };
    }

    private ValueTest operator(String op, JsonNode operand, String pointer) {
        switch (op) {
            case "$eq":
                return equalTo(operand);
            case "$ne":
                return not(equalTo(operand));
            case "$gt":
                return ordered(operand, c -> c > 0);
            case "$gte":
                return ordered(operand, c -> c >= 0);
            case "$lt":
                return ordered(operand, c -> c < 0);
            case "$lte":
                return ordered(operand, c -> c <= 0);
            case "$in":
            case "$nin":
                if (!operand.isArray()) {
                    problems.add(pointer, Found.value(operand), "an array of values for " + op);
                    return null;
                }
                List<QueryValues.Operand> list = new ArrayList<>();
                operand.forEach(c -> list.add(QueryValues.operand(c)));
                QueryValues.Operand[] candidates = list.toArray(new QueryValues.Operand[0]);
                ValueTest in = any(v -> {
                    for (QueryValues.Operand c : candidates) {
                        if (c.equalTo(v)) {
                            return true;
                        }
                    }
                    return false;
                });
                return op.equals("$in") ? in : not(in);
            case "$regex":
                return regex(operand, pointer);
            case "$exists":
                if (!operand.isBoolean()) {
                    problems.add(pointer, Found.value(operand), "true or false for $exists");
                    return null;
                }
                boolean exists = operand.booleanValue();
                return new ValueTest() {
                    @Override
                    public boolean one(JsonNode value) {
                        return (value != null) == exists;
                    }

                    @Override
                    public boolean all(List<JsonNode> values) {
                        return values.isEmpty() != exists;
                    }
                };
            case "$not":
                if (!isOperatorObject(operand)) {
                    problems.add(pointer, Found.value(operand), "an operator object for $not ({\"$eq\": \"x\"})");
                    return null;
                }
                ValueTest inner = operators(operand, pointer);
                return inner == null ? null : not(inner);
            default:
                problems.add(
                        pointer,
                        "operator " + op,
                        "one of " + new TreeSet<>(ConfigKeys.VALUE_OPERATORS),
                        NearestName.suggest(op, ConfigKeys.VALUE_OPERATORS));
                return null;
        }
    }

    private static ValueTest equalTo(JsonNode operand) {
        QueryValues.Operand o = QueryValues.operand(operand);
        return any(o::equalTo);
    }

    private static ValueTest ordered(JsonNode operand, IntPredicate accept) {
        QueryValues.Operand o = QueryValues.operand(operand);
        return any(v -> {
            int c = o.compareTo(v);
            return c != QueryValues.INCOMPARABLE && accept.test(c);
        });
    }

    private ValueTest regex(JsonNode operand, String pointer) {
        if (!operand.isTextual()) {
            problems.add(pointer, Found.value(operand), "a regular expression string for $regex");
            return null;
        }
        String tooLong = RegexBudget.DEFAULT.patternProblem(operand.textValue());
        if (tooLong != null) {
            problems.add(
                    pointer,
                    "$regex " + tooLong,
                    "a regular expression of at most " + RegexBudget.MAX_PATTERN_LENGTH + " characters");
            return null;
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(operand.textValue());
        } catch (PatternSyntaxException e) {
            problems.add(
                    pointer,
                    "invalid regex " + Found.value(operand) + " (" + e.getDescription() + ")",
                    "a valid Java regular expression");
            return null;
        }
        return any(v -> {
            String text = QueryValues.text(v);
            // bounded: a runaway match throws RegexBudgetExceededException, and CompiledQuery
            // turns that into "the condition does not match"
            return text != null
                    && pattern.matcher(RegexBudget.DEFAULT.bound(text)).find();
        });
    }

    private static ValueTest not(ValueTest test) {
        return new ValueTest() {
            @Override
            public boolean one(JsonNode value) {
                return !test.one(value);
            }

            @Override
            public boolean all(List<JsonNode> values) {
                return !test.all(values);
            }
        };
    }
}

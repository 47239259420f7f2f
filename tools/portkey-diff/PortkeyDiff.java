import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.ConfigException;
import dev.switchboard.Gateway;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Differential check of Switchboard's {@code default.*} guardrails against a running Portkey 1.15.2
 * (optional, not part of the build or CI; see README.md beside this file).
 *
 * <p>For every case it sends the same config (one hook, one check) and the same request to Portkey
 * over HTTP and to a Switchboard {@link Gateway} in this JVM, both pointed at one local stub upstream
 * started here (127.0.0.1, an ephemeral port), then compares the check's verdict, whether it errored,
 * and for mutators the rewritten request (as the upstream received it) or answer. A config Switchboard
 * refuses when it is built agrees with a Portkey check that errors. Every other disagreement must be a
 * documented difference (the tag of a row of the README's "Differences from Portkey's checks"); an
 * undocumented one makes the exit code 1.
 *
 * <pre>
 * java -cp "$CLASSPATH" tools/portkey-diff/PortkeyDiff.java 18787 [--verbose]
 * </pre>
 *
 * Nothing here starts Portkey: pass the port of one that runs (run.sh can start one).
 */
public class PortkeyDiff {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One input: a check with parameters on one hook, the request, the upstream's answer, metadata, headers. */
    static final class Case {
        String name;
        String check;
        ObjectNode params = Json.object();
        String phase = "before";
        String hookType;
        String path = "/v1/chat/completions";
        ObjectNode request;
        ObjectNode answer;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        /** Tag of the documented difference this case shows, or null when both must agree. */
        String documented;
        ObjectNode hookOverride;

        Case(String name, String check, String params) {
            this.name = name;
            this.check = check;
            this.params = (ObjectNode) Json.parse(params.replace('\'', '"'));
        }
    }

    /** What one side answered for a case. */
    record Outcome(String kind, Boolean verdict, boolean error, String errorMessage, JsonNode rewritten, String note) {
        String summary() {
            return switch (kind) {
                case "refused" -> "refused at build: " + note;
                case "nochecks" -> "hook ran no check";
                case "failure" -> "gateway failure: " + note;
                default -> (error ? "error(" + errorMessage + ")" : "verdict " + verdict) + (rewritten == null ? "" : " → " + rewritten);
            };
        }
    }

    private static volatile ObjectNode currentAnswer;
    private static volatile JsonNode lastUpstreamBody;
    private static final KeyPair RSA = rsa();
    private static String jwks;

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: PortkeyDiff PORTKEY_PORT [--verbose]");
            System.exit(2);
        }
        int portkeyPort = Integer.parseInt(args[0]);
        boolean verbose = List.of(args).contains("--verbose");
        HttpServer stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/", PortkeyDiff::upstream);
        stub.start();
        String base = "http://127.0.0.1:" + stub.getAddress().getPort();
        jwks = jwks();
        List<Case> cases = Cases.all(base);
        Map<String, Integer> documented = new TreeMap<>();
        int agree = 0;
        int refusedAgree = 0;
        List<String> undocumented = new ArrayList<>();
        Map<String, Integer> kinds = new TreeMap<>();
        try {
            for (Case c : cases) {
                Outcome portkey = portkey(c, portkeyPort, base);
                Outcome ours = switchboard(c, base);
                String verdict = compare(portkey, ours);
                if (!portkey.kind().equals("check")) {
                    kinds.merge(portkey.kind() + " on Portkey, " + ours.kind() + " on Switchboard", 1, Integer::sum);
                }
                if (verdict == null) {
                    if (ours.kind().equals("refused")) {
                        refusedAgree++;
                    } else {
                        agree++;
                    }
                    if (verbose) {
                        System.out.println("same  " + c.name + ": " + ours.summary());
                    }
                } else if (c.documented != null) {
                    documented.merge(c.documented, 1, Integer::sum);
                    if (verbose) {
                        System.out.println("doc   " + c.name + " [" + c.documented + "]: Portkey " + portkey.summary()
                                + " | Switchboard " + ours.summary());
                    }
                } else {
                    undocumented.add(c.name + ": Portkey " + portkey.summary() + " | Switchboard " + ours.summary() + " (" + verdict + ")");
                }
            }
        } finally {
            stub.stop(0);
        }
        System.out.println("Portkey 1.15.2 on 127.0.0.1:" + portkeyPort + " vs Switchboard: " + cases.size() + " inputs compared");
        System.out.println("  same verdict, error-or-not and rewrite: " + agree);
        System.out.println("  Portkey errors on every request, Switchboard refuses the config at build time: " + refusedAgree);
        documented.forEach((tag, n) -> System.out.println("  documented difference [" + tag + "]: " + n));
        System.out.println("  undocumented differences: " + undocumented.size());
        undocumented.forEach(u -> System.out.println("    " + u));
        kinds.forEach((k, n) -> System.out.println("  (inputs where the hook ran no check or the call failed: " + k + ": " + n + ")"));
        System.exit(undocumented.isEmpty() ? 0 : 1);
    }

    /** Null when both agree, else what differs. */
    private static String compare(Outcome portkey, Outcome ours) {
        if (ours.kind().equals("refused")) {
            return portkey.kind().equals("check") && portkey.error() ? null : "Switchboard refuses a config Portkey runs";
        }
        if (!portkey.kind().equals(ours.kind())) {
            return "kind " + portkey.kind() + " vs " + ours.kind();
        }
        if (!portkey.kind().equals("check")) {
            return null;
        }
        if (portkey.error() != ours.error()) {
            return "error-or-not";
        }
        if (!portkey.error() && !portkey.verdict().equals(ours.verdict())) {
            return "verdict";
        }
        JsonNode a = portkey.rewritten();
        JsonNode b = ours.rewritten();
        if (a == null ? b != null : !a.equals(b)) {
            return "rewrite";
        }
        return null;
    }

    private static ObjectNode config(Case c, String base) {
        ObjectNode config = Json.object();
        config.put("provider", "openai");
        config.put("api_key", "sk-portkey-diff");
        config.put("custom_host", base + "/v1");
        ObjectNode hook;
        if (c.hookOverride != null) {
            hook = c.hookOverride.deepCopy();
        } else {
            hook = Json.object();
            hook.put("id", "h");
            hook.put("type", c.hookType != null ? c.hookType : isMutator(c.check) ? "mutator" : "guardrail");
            hook.put("deny", false);
            ObjectNode check = hook.putArray("checks").addObject();
            check.put("id", c.check);
            check.set("parameters", c.params);
        }
        config.putArray(c.phase.equals("before") ? "before_request_hooks" : "after_request_hooks").add(hook);
        return config;
    }

    private static boolean isMutator(String check) {
        return check != null && (check.equals("default.regexReplace") || check.equals("default.addPrefix"));
    }

    private static Outcome portkey(Case c, int port, String base) throws Exception {
        lastUpstreamBody = null;
        currentAnswer = c.answer;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + c.path))
                .timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json")
                .header("x-portkey-config", ascii(config(c, base)))
                .POST(HttpRequest.BodyPublishers.ofString(Json.text(c.request)));
        if (!c.metadata.isEmpty()) {
            ObjectNode md = Json.object();
            c.metadata.forEach(md::put);
            b.header("x-portkey-metadata", ascii(md));
        }
        c.headers.forEach(b::header);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = Json.parse(r.body());
        } catch (IllegalArgumentException e) {
            return new Outcome("failure", null, false, null, null, r.statusCode() + " " + r.body());
        }
        return outcome(c, r.statusCode(), body);
    }

    /** JSON for a header value: non-ASCII characters escaped (header values are ASCII). */
    private static String ascii(JsonNode json) throws Exception {
        return Json.newMapper().writer().with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(json);
    }

    private static Outcome switchboard(Case c, String base) {
        lastUpstreamBody = null;
        currentAnswer = c.answer;
        Gateway gateway;
        try {
            gateway = Gateway.builder().config(config(c, base)).build();
        } catch (ConfigException e) {
            return new Outcome("refused", null, false, null, null, e.problems().get(0).path() + ": " + e.problems().get(0).expected());
        }
        try (gateway) {
            GatewayRequest.Builder req = switch (c.path) {
                case "/v1/completions" -> GatewayRequest.completions(Json.text(c.request));
                case "/v1/embeddings" -> GatewayRequest.embeddings(Json.text(c.request));
                default -> GatewayRequest.chat(Json.text(c.request));
            };
            req.metadata(c.metadata);
            c.headers.forEach(req::header);
            GatewayResponse r = gateway.execute(req.build());
            return outcome(c, r.status(), r.json());
        } catch (RuntimeException e) {
            return new Outcome("failure", null, false, null, null, e.toString());
        }
    }

    private static Outcome outcome(Case c, int status, JsonNode body) {
        JsonNode hook = body.path("hook_results").path(c.phase.equals("before") ? "before_request_hooks" : "after_request_hooks").path(0);
        if (hook.isMissingNode()) {
            return new Outcome("failure", null, false, null, null, status + " without hook_results: " + trim(body.toString()));
        }
        JsonNode check = hook.path("checks").path(0);
        if (check.isMissingNode()) {
            return new Outcome("nochecks", null, false, null, null, null);
        }
        boolean error = check.hasNonNull("error");
        String message = error ? check.path("error").path("message").asText() : null;
        JsonNode rewritten = null;
        if (isMutator(c.check) && !error) {
            rewritten = c.phase.equals("before") ? upstreamText(c) : answerText(c, body);
        }
        // Portkey passes a webhook's verdict on as it came ("yes", 0, ...); the hook reads it as JavaScript does
        JsonNode v = check.path("verdict");
        boolean verdict = v.isBoolean() ? v.booleanValue() : v.isTextual() ? !v.textValue().isEmpty()
                : v.isNumber() ? v.doubleValue() != 0 : v.isContainerNode();
        return new Outcome("check", verdict, error, message, rewritten, null);
    }

    /** What reached the upstream: the messages (chat) or prompt (completions). */
    private static JsonNode upstreamText(Case c) {
        JsonNode sent = lastUpstreamBody;
        if (sent == null) {
            return F.textNode("(nothing reached the upstream)");
        }
        return c.path.equals("/v1/completions") ? sent.path("prompt") : sent.path("messages");
    }

    private static JsonNode answerText(Case c, JsonNode body) {
        JsonNode choice = body.path("choices").path(0);
        return c.path.equals("/v1/completions") ? choice.path("text") : choice.path("message").path("content");
    }

    private static String trim(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    /** The stub upstream, webhook, log endpoint and JWKS server. */
    private static void upstream(HttpExchange ex) throws IOException {
        byte[] in = ex.getRequestBody().readAllBytes();
        String path = ex.getRequestURI().getPath();
        int status = 200;
        String out;
        String location = null;
        if (path.startsWith("/v1/")) {
            try {
                lastUpstreamBody = Json.parse(new String(in, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                lastUpstreamBody = F.textNode(new String(in, StandardCharsets.UTF_8));
            }
            ObjectNode answer = currentAnswer;
            out = answer != null ? Json.text(answer) : path.endsWith("/completions") && !path.contains("chat")
                    ? "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"text\":\"ok\",\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}"
                    : path.endsWith("/embeddings")
                    ? "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,0.2]}],\"model\":\"m\",\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}"
                    : Json.text(Cases.chatAnswer("ok"));
        } else if (path.startsWith("/hook/")) {
            String kind = path.substring("/hook/".length());
            switch (kind) {
                case "true" -> out = "{\"verdict\":true}";
                case "false" -> out = "{\"verdict\":false}";
                case "none" -> out = "{\"ok\":true}";
                case "truthy" -> out = "{\"verdict\":\"yes\"}";
                case "zero" -> out = "{\"verdict\":0}";
                case "text" -> out = "yes";
                case "error" -> {
                    status = 500;
                    out = "{\"error\":\"down\"}";
                }
                default -> out = "{}";
            }
        } else if (path.equals("/log/json")) {
            out = "{\"ok\":true}";
        } else if (path.equals("/log/empty")) {
            status = 204;
            out = "";
        } else if (path.equals("/log/down")) {
            status = 503;
            out = "";
        } else if (path.equals("/jwks")) {
            out = jwks;
        } else if (path.equals("/url/ok")) {
            out = "";
        } else if (path.equals("/url/missing")) {
            status = 404;
            out = "";
        } else if (path.equals("/url/moved")) {
            status = 301;
            location = "/url/ok";
            out = "";
        } else if (path.equals("/url/broken-redirect")) {
            status = 302;
            location = "/url/missing";
            out = "";
        } else {
            status = 404;
            out = "{}";
        }
        byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("content-type", "application/json");
        if (location != null) {
            ex.getResponseHeaders().add("location", location);
        }
        if (bytes.length == 0 || ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] unsigned(BigInteger n) {
        byte[] b = n.toByteArray();
        return b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static String jwks() {
        RSAPublicKey key = (RSAPublicKey) RSA.getPublic();
        return "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"alg\":\"RS256\",\"use\":\"sig\",\"n\":\""
                + b64(unsigned(key.getModulus())) + "\",\"e\":\"" + b64(unsigned(key.getPublicExponent())) + "\"}]}";
    }

    /** An RS256 token signed with the key the local JWKS publishes; {@code kid} null for none. */
    static String token(String kid, long iatOffset) {
        try {
            long now = System.currentTimeMillis() / 1000;
            String header = kid == null ? "{\"alg\":\"RS256\",\"typ\":\"JWT\"}" : "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
            String claims = "{\"sub\":\"diff\",\"iat\":" + (now + iatOffset) + ",\"exp\":" + (now + 3600) + "}";
            String input = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.getBytes(StandardCharsets.UTF_8));
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(RSA.getPrivate());
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The inputs. */
    static final class Cases {
        private Cases() {}

        static ObjectNode chatAnswer(String content) {
            ObjectNode a = Json.object().put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 1).put("model", "m");
            ObjectNode choice = a.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
            ObjectNode message = choice.putObject("message").put("role", "assistant");
            if (content == null) {
                message.putNull("content");
            } else {
                message.put("content", content);
            }
            a.putObject("usage").put("prompt_tokens", 1).put("completion_tokens", 1).put("total_tokens", 2);
            return a;
        }

        static ObjectNode chatRequest(String text) {
            ObjectNode r = Json.object().put("model", "gpt-4o-mini");
            r.putArray("messages").addObject().put("role", "user").put("content", text);
            return r;
        }

        /** Texts where JavaScript and Java tend to differ. */
        static final List<String> TEXTS = List.of(
                "hello world", "Hello World.", " padded  text ", "one\ttwo\nthree", "a\u00a0b\u2003c", "x\u0085y", "line1\u2028line2",
                "\uFEFFbom", "tab\u000Bvt", "😀 emoji 👍🏽 ok", "ÉTÉ été", "Straße ß", "İstanbul ı", "ſ long s", "ALL CAPS 123!", "mixed Case",
                "Wait... what?!", "e.g. this. And that!", "no terminators", "HarryPortkey", "HarryPortkey.", "HarryPortkey.\n",
                "end\n", "end\r\n", "card 4111111111111111 and 4111111111111111", "John Smith", "$100 and 50%", "p{L} and \\p",
                "a{,2} }] [x]", "```py\nprint(1)\n```", "```python\nx = 1\n```", "```js\nconsole.log(1)\n```",
                "```py \nprint(1)\n```", "```py\r\nprint(1)\r\n```", "```sql\nSELECT 1```", "```\nplain\n```", "```gyp\nx\n```",
                "```bash\nls\n```", "```JSON\n{\"a\":1}\n```", "```json\n{\"a\":1}\n```", "{\"a\":1}", "{\"a\":{\"b\":1}}",
                "text {\"a\":1} and {\"b\":2}", "```\n[1,2]\n```", "```json\nnull\n```", "```json\n0\n```", "```json\n\"x\"\n```",
                "{\"a\": \"}\"}", "``` json\n{\"a\":1}\n```", "````json\n{\"a\":1}\n````", "aaa", "   ", "\u00a0\u3000", "."
        );

        static List<Case> all(String base) {
            List<Case> out = new ArrayList<>();
            textChecks(out);
            regexes(out);
            regexReplace(out);
            json(out);
            structured(out);
            requestChecks(out);
            addPrefix(out);
            network(out, base);
            hooks(out);
            return out;
        }

        private static Case text(String name, String check, String params, String phase, String text) {
            Case c = new Case(name, check, params);
            c.phase = phase;
            if (phase.equals("before")) {
                c.request = chatRequest(text);
            } else {
                c.request = chatRequest("question");
                c.answer = chatAnswer(text);
            }
            return c;
        }

        private static void textChecks(List<Case> out) {
            String[][] checks = {
                {"default.wordCount", "{'minWords':1,'maxWords':3}", "both"},
                {"default.wordCount", "{'minWords':2,'maxWords':2,'not':true}", "both"},
                {"default.sentenceCount", "{'minSentences':1,'maxSentences':2}", "both"},
                {"default.sentenceCount", "{'minSentences':0,'maxSentences':0}", "both"},
                {"default.characterCount", "{'minCharacters':1,'maxCharacters':10}", "both"},
                {"default.characterCount", "{'minCharacters':5,'maxCharacters':12,'not':true}", "both"},
                {"default.alluppercase", "{}", "both"},
                {"default.alllowercase", "{'not':true}", "both"},
                {"default.endsWith", "{'suffix':'HarryPortkey'}", "both"},
                {"default.endsWith", "{'suffix':'\\n'}", "both"},
                {"default.endsWith", "{'suffix':'.'}", "both"},
                {"default.contains", "{'words':['a','é'],'operator':'any'}", "after"},
                {"default.contains", "{'words':['',' '],'operator':'all'}", "after"},
                {"default.contains", "{'words':[],'operator':'none'}", "after"},
                {"default.contains", "{'words':['Portkey'],'operator':'none'}", "after"},
                {"default.containsCode", "{'format':'Python'}", "after"},
                {"default.containsCode", "{'format':'SQL','not':true}", "after"},
                {"default.containsCode", "{'format':'bash'}", "after"},
                {"default.notNull", "{}", "after"},
                {"default.notNull", "{'not':true}", "after"},
                {"default.regexMatch", "{'rule':'\\\\s'}", "both"},
            };
            for (String[] check : checks) {
                List<String> phases = check[2].equals("both") ? List.of("before", "after") : List.of(check[2]);
                for (String phase : phases) {
                    for (int i = 0; i < TEXTS.size(); i++) {
                        out.add(text(check[0] + " " + check[1] + " " + phase + " text#" + i, check[0], check[1], phase, TEXTS.get(i)));
                    }
                }
            }
            out.add(text("notNull null content", "default.notNull", "{}", "after", null));
        }

        private static void regexes(List<Case> out) {
            String[] rules = {
                "\\s+", "^\\S+$", "end$", "^line2", "[\\s\\S]{3}", ".", "x.y", "\\bcaf", "é\\b", "\\v", "\\cJ", "\\a\\e",
                "\\p{L}", "a{,2}", "}]", "[[]", "[]", "[^]", "(?<first_name>\\w+) (?<last>\\w+)", "(\\w)\\1", "(a)?\\1x",
                "\\1", "\\8", "\\x41\\u0042", "\\u{41}", "😀", "[😀]", "^.{3}$", "ſ", "(?=a)*", "(?<=\\$)\\d+",
                "card \\d{16}", "[a-\\d]", "\\k", "HarryPortkey\\.?$", "/abc/i", "^$", "(?i)a", "a*+", "(", "[z-a]",
                "\\", "a{2}{3}", "(?<a>x)(?<a>y)", "(?<=a+)b", "\\k<x>(?<x>a)", "\\p{Lu}",
            };
            for (String rule : rules) {
                for (String phase : List.of("before", "after")) {
                    for (String t : List.of("hello world", "a\u00a0b", "end\n", "line1\u2028line2", "😀x", "John Smith",
                            "p{L}", "card 4111111111111111", "$12 abc", "ABC /abc/i", "aax", "café caf", "\u0001\u0008", "AB")) {
                        Case c = text("regexMatch " + rule + " " + phase + " " + Json.text(F.textNode(t)), "default.regexMatch",
                                "{}", phase, t);
                        c.params.put("rule", rule);
                        if (t.codePoints().anyMatch(Character::isSupplementaryCodePoint) && (rule.contains(".") || rule.contains("[")
                                || rule.contains("😀"))) {
                            c.documented = "regex without u: characters outside the BMP";
                        }
                        out.add(c);
                    }
                }
            }
        }

        private static void regexReplace(List<Case> out) {
            String[][] rules = {
                {"\\d{4}", "[REDACTED]"}, {"/\\d{4}/g", "#"}, {"/secret/gi", "***"}, {"/(\\w+) (\\w+)/", "$2, $1"},
                {"/(?<f>\\w+) (?<l>\\w+)/g", "$<l> $<f> [$&] $$ $3 $10 $01"}, {"/x*/g", "-"}, {"x*", "-"},
                {"/x*/gu", "-"}, {"/^/gm", "> "}, {"/$/gm", "|"}, {"/\\s+/g", "_"}, {"/./gs", "."}, {"/a/b/g", "!"},
                {"/a/y", "!"}, {"/a/gg", "!"}, {"/abc/x", "!"}, {"/\\bword\\b/g", "W"}, {"4111111111111111", ""},
                {"/(\\d)(\\d)/g", "$2$1"}, {"/\\d/g", "$`|$'"}, {"/[aeiou]/g", "$<v>"},
                {"/\\p{L}+/gu", "#"}, {"/\\p{Script=Greek}/gu", "#"}, {"/[^\\s]+/g", "#"}, {"/(?<=\\$)\\d+/g", "N"},
                {"/\\bs/gi", "S"}, {"/s/gi", "5"}, {"/\\P{Lu}/gu", "_"}, {"/(a)|b/g", "[$1]"},
            };
            List<String> texts = List.of("card 4111111111111111 and 4111111111111111", "John Smith", "a secret SECRET Secret",
                    "line1\nline2\r\nline3", "😀a😀", "word words sword word", "a/b/g", "abc", "a\u00a0b", "x",
                    "ſ long s Σίσυφος $42", "a b ab ba");
            for (String[] r : rules) {
                for (String phase : List.of("before", "after")) {
                    for (String t : texts) {
                        Case c = text("regexReplace " + r[0] + " → " + r[1] + " " + phase + " " + Json.text(F.textNode(t)),
                                "default.regexReplace", "{}", phase, t);
                        c.params.put("rule", r[0]);
                        if (t.codePoints().anyMatch(Character::isSupplementaryCodePoint) && !r[0].matches(".*/[a-z]*u[a-z]*$")
                                && (r[0].contains(".") || r[0].contains("[") || r[0].contains("x*"))) {
                            c.documented = "regex without u: characters outside the BMP";
                        }
                        if (t.contains("ſ") && r[0].matches(".*/[a-z]*i[a-z]*$")) {
                            c.documented = "regex i flag: compatibility characters";
                        }
                        if (!r[1].isEmpty()) {
                            c.params.put("redactText", r[1]);
                        } else {
                            c.params.put("redactText", "");
                        }
                        out.add(c);
                    }
                }
            }
            // multi-part content: each text part on its own, images untouched, only the last message
            Case parts = new Case("regexReplace parts of the last message", "default.regexReplace", "{'rule':'^\\\\d+|\\\\d+$'}");
            parts.request = (ObjectNode) Json.parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"1111 first\"},"
                    + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a 1111\"},{\"type\":\"image_url\",\"image_url\":"
                    + "{\"url\":\"https://example.com/i.png\"}},{\"type\":\"text\",\"text\":\"2222 b\"},{\"type\":\"text\",\"text\":\"\"}]}]}");
            out.add(parts);
            Case completions = new Case("regexReplace completions prompt array", "default.regexReplace", "{'rule':'/\\\\d/g'}");
            completions.path = "/v1/completions";
            completions.request = (ObjectNode) Json.parse("{\"model\":\"m\",\"prompt\":[\"a1\",\"b\",\"c2\"]}");
            out.add(completions);
            Case completionAnswer = new Case("regexReplace completions answer", "default.regexReplace", "{'rule':'/\\\\d/g'}");
            completionAnswer.path = "/v1/completions";
            completionAnswer.phase = "after";
            completionAnswer.request = (ObjectNode) Json.parse("{\"model\":\"m\",\"prompt\":\"q\"}");
            completionAnswer.answer = (ObjectNode) Json.parse("{\"id\":\"c\",\"object\":\"text_completion\",\"created\":1,\"model\":\"m\","
                    + "\"choices\":[{\"index\":0,\"text\":\"a1b2\",\"finish_reason\":\"stop\"}]}");
            out.add(completionAnswer);
            Case noContent = text("regexReplace empty content", "default.regexReplace", "{'rule':'a'}", "before", "");
            out.add(noContent);
            Case nullAnswer = text("regexReplace null answer", "default.regexReplace", "{'rule':'a'}", "after", null);
            out.add(nullAnswer);
        }

        private static void json(List<Case> out) {
            String[][] schemas = {
                {"{'schema':{'type':'object','required':['a']}}", ""},
                {"{'schema':{'type':'object','required':['a']},'not':true}", ""},
                {"{'schema':{'type':'number'}}", ""},
                {"{'schema':{'type':'array'}}", ""},
                {"{'schema':{'type':'string','format':'email'}}", ""},
                {"{'schema':{'type':'object','properties':{'a':{'type':'object'}},'required':['a']}}", "nested"},
            };
            List<String> texts = List.of("{\"a\":1}", "x {\"a\":1} y {\"b\":2}", "```json\n{\"a\":1}\n```", "```\n{\"a\":1}\n```",
                    "```JSON\n{\"a\":1}\n```", "```python\n{\"a\":1}\n``` {\"a\":1}", "``` json\n{\"a\":1}\n```", "````json\n{\"a\":1}\n````",
                    "```json\n[1,2]\n```", "```json\n0\n```", "```json\n5\n```", "```json\nnull\n``` {\"a\":1}", "```json\n\"ann@example.com\"\n```",
                    "```json\n\"nope\"\n```", "{\"a\":{\"b\":1}}", "{\"a\": \"}\"}", "no json", "{a:1}", "{\"a\":1} trailing } {", "", "```json\n{\"a\":1}\n```\n```json\n{\"b\":{}}\n```");
            for (String[] s : schemas) {
                for (String t : texts) {
                    Case c = text("jsonSchema " + s[0] + " " + Json.text(F.textNode(t)), "default.jsonSchema", s[0], "after", t);
                    if (t.contains("{\"a\":{\"b\":1}}") || t.contains("{\"a\": \"}\"}")) {
                        c.documented = "jsonSchema/jsonKeys: bare JSON with a nested object";
                    }
                    out.add(c);
                }
            }
            String[] keyParams = {"{'keys':['a'],'operator':'any'}", "{'keys':['a','b'],'operator':'all'}", "{'keys':['a'],'operator':'none'}",
                "{'keys':['0','length'],'operator':'all'}", "{'keys':['b'],'operator':'any'}"};
            for (String k : keyParams) {
                for (String t : texts) {
                    Case c = text("jsonKeys " + k + " " + Json.text(F.textNode(t)), "default.jsonKeys", k, "after", t);
                    if (t.contains("{\"a\":{\"b\":1}}") || t.contains("{\"a\": \"}\"}")) {
                        c.documented = "jsonSchema/jsonKeys: bare JSON with a nested object";
                    }
                    out.add(c);
                }
            }
        }

        /** Where the text comes from: parts, completions, embeddings, null content, no messages. */
        private static void structured(List<Case> out) {
            String parts = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"first\"},{\"role\":\"user\",\"content\":"
                    + "[{\"type\":\"text\",\"text\":\"Hello there\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/i.png\"}},"
                    + "{\"type\":\"text\",\"text\":\"\"},{\"type\":\"text\",\"text\":\"Bye.\"}]}]}";
            String[][] requests = {
                {"parts", "/v1/chat/completions", parts},
                {"null content", "/v1/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":null}]}"},
                {"prompt string", "/v1/completions", "{\"model\":\"m\",\"prompt\":\"Hello world.\"}"},
                {"prompt array", "/v1/completions", "{\"model\":\"m\",\"prompt\":[\"Hello\",\"\",\"world.\"]}"},
                {"embeddings input", "/v1/embeddings", "{\"model\":\"m\",\"input\":\"Hello world.\"}"},
                {"embeddings inputs", "/v1/embeddings", "{\"model\":\"m\",\"input\":[\"Hello\",\"world.\"]}"},
            };
            String[][] checks = {
                {"default.wordCount", "{'minWords':1,'maxWords':2}"}, {"default.characterCount", "{'minCharacters':1,'maxCharacters':11}"},
                {"default.sentenceCount", "{'minSentences':1,'maxSentences':1}"}, {"default.regexMatch", "{'rule':'^Hello'}"},
                {"default.regexMatch", "{'rule':'\\n'}"}, {"default.endsWith", "{'suffix':'Bye'}"}, {"default.alllowercase", "{}"},
            };
            for (String[] r : requests) {
                for (String[] ch : checks) {
                    Case c = new Case("source " + r[0] + " " + ch[0] + " " + ch[1], ch[0], ch[1]);
                    c.path = r[1];
                    c.request = (ObjectNode) Json.parse(r[2]);
                    out.add(c);
                }
            }
        }

        private static void requestChecks(List<Case> out) {
            String[][] whitelists = {
                {"{'models':['gpt-4o-mini']}", "gpt-4o-mini"}, {"{'models':['gpt-4o-mini']}", "gpt-4o"}, {"{'models':[]}", "gpt-4o"},
                {"{'models':[],'not':true}", "gpt-4o"}, {"{'models':['gpt-4o'],'not':true}", "gpt-4o"}, {"{'models':['gpt-4o']}", null},
                {"{'models':['gpt-4o']}", ""},
            };
            for (String[] w : whitelists) {
                Case c = new Case("modelWhitelist " + w[0] + " model " + w[1], "default.modelWhitelist", w[0]);
                c.request = chatRequest("hi");
                if (w[1] == null) {
                    c.request.remove("model");
                } else {
                    c.request.put("model", w[1]);
                }
                out.add(c);
            }
            String rules = "{'rules':{'defaults':['gpt-4o-mini'],'metadata':{'plan':{'paid':['gpt-4o'],'trial':[]},'team':{'ml':['o1']}}}}";
            String[][] metas = {{}, {"plan", "paid"}, {"plan", "free"}, {"plan", "trial"}, {"team", "ml"}, {"plan", "paid", "team", "ml"}};
            for (String model : List.of("gpt-4o-mini", "gpt-4o", "o1")) {
                for (String[] m : metas) {
                    for (String p : List.of(rules, rules.replace("}}}}", "}}},'not':true}"),
                            "{'rules':{'metadata':{'plan':{'paid':['gpt-4o'],'trial':[]}}}}")) {
                        Case c = new Case("modelRules " + p + " " + model + " " + String.join("=", m), "default.modelRules", p);
                        c.request = chatRequest("hi").put("model", model);
                        for (int i = 0; i + 1 < m.length; i += 2) {
                            c.metadata.put(m[i], m[i + 1]);
                        }
                        out.add(c);
                    }
                }
            }
            String[][] keys = {
                {"{'metadataKeys':['user','team'],'operator':'all'}"}, {"{'metadataKeys':['user','team'],'operator':'any'}"},
                {"{'metadataKeys':['team'],'operator':'none'}"}, {"{'metadataKeys':['toString'],'operator':'all'}"},
                {"{'metadataKeys':['user'],'operator':'none'}"},
            };
            for (String[] k : keys) {
                for (boolean withUser : new boolean[] {true, false}) {
                    Case c = new Case("requiredMetadataKeys " + k[0] + (withUser ? " user=u1" : " no metadata"), "default.requiredMetadataKeys", k[0]);
                    c.request = chatRequest("hi");
                    if (withUser) {
                        c.metadata.put("user", "u1");
                    }
                    out.add(c);
                }
            }
            String[] types = {"{'allowedTypes':['chatComplete','embed']}", "{'allowedTypes':'complete, embed'}",
                "{'blockedTypes':['chatComplete']}", "{'blockedTypes':'embed,complete'}", "{}",
                "{'allowedTypes':['chatComplete','complete'],'blockedTypes':['embed']}", "{'allowedTypes':['stream-chatComplete']}"};
            String[][] typeMetas = {{}, {"supported_endpoints", "complete,embed"}, {"blocked_endpoints", "chatComplete"},
                {"supported_endpoints", "chatComplete", "blocked_endpoints", "chatComplete"}};
            String[][] endpoints = {{"/v1/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"},
                {"/v1/completions", "{\"model\":\"m\",\"prompt\":\"hi\"}"}, {"/v1/embeddings", "{\"model\":\"m\",\"input\":\"hi\"}"}};
            for (String t : types) {
                for (String[] m : typeMetas) {
                    for (String[] e : endpoints) {
                        Case c = new Case("allowedRequestTypes " + t + " " + e[0] + " " + String.join("=", m), "default.allowedRequestTypes", t);
                        c.path = e[0];
                        c.request = (ObjectNode) Json.parse(e[1]);
                        for (int i = 0; i + 1 < m.length; i += 2) {
                            c.metadata.put(m[i], m[i + 1]);
                        }
                        out.add(c);
                    }
                }
            }
        }

        private static void addPrefix(List<Case> out) {
            String[] params = {"{'prefix':'P: '}", "{'prefix':'P: ','applyToRole':'system'}", "{'prefix':'P: ','applyToRole':'assistant'}",
                "{'prefix':'P: ','addToExisting':false}", "{'prefix':'P: ','onlyIfEmpty':true}",
                "{'prefix':'P: ','applyToRole':'system','onlyIfEmpty':true}"};
            String[] requests = {
                "[{'role':'user','content':'Hello'}]",
                "[{'role':'system','content':'Sys'},{'role':'user','content':'first'},{'role':'assistant','content':'a'},{'role':'user','content':'second'}]",
                "[{'role':'user','content':''}]", "[{'role':'user','content':'  '}]", "[{'role':'user','content':null}]",
                "[{'role':'assistant','content':'a'}]",
                "[{'role':'user','content':[{'type':'text','text':'Hi'},{'type':'text','text':'there'}]}]",
                "[{'role':'user','content':[{'type':'image_url','image_url':{'url':'https://example.com/i.png'}},{'type':'text','text':'What?'}]}]",
                "[{'role':'user','content':[{'type':'image_url','image_url':{'url':'https://example.com/i.png'}}]},{'role':'assistant','content':'a'}]",
                "[{'role':'system','content':[]},{'role':'user','content':'q'}]", "[]",
            };
            for (String p : params) {
                for (String r : requests) {
                    Case c = new Case("addPrefix " + p + " " + r, "default.addPrefix", p);
                    c.request = (ObjectNode) Json.parse(("{'model':'m','messages':" + r + "}").replace('\'', '"'));
                    out.add(c);
                }
            }
            for (String prompt : List.of("\"tell me\"", "[\"a\",\"b\"]", "\"\"")) {
                Case c = new Case("addPrefix completions " + prompt, "default.addPrefix", "{'prefix':'P: '}");
                c.path = "/v1/completions";
                c.request = (ObjectNode) Json.parse("{\"model\":\"m\",\"prompt\":" + prompt + "}");
                out.add(c);
            }
            Case after = new Case("addPrefix on an after hook", "default.addPrefix", "{'prefix':'P: '}");
            after.phase = "after";
            after.request = chatRequest("hi");
            after.documented = "a check on a hook event it does not support";
            out.add(after);
        }

        private static void network(List<Case> out, String base) {
            for (String kind : List.of("true", "false", "none", "truthy", "zero", "text", "error")) {
                for (String phase : List.of("before", "after")) {
                    Case c = text("webhook answers " + kind + " " + phase, "default.webhook", "{}", phase, "hello");
                    c.params.put("webhookURL", base + "/hook/" + kind);
                    out.add(c);
                }
            }
            for (String kind : List.of("json", "empty", "down")) {
                Case c = text("log endpoint " + kind, "default.log", "{}", "after", "hello");
                c.params.put("logURL", base + "/log/" + kind);
                c.params.put("headers", "{\"x-log\":\"1\"}");
                out.add(c);
            }
            Case objectHeaders = text("log with headers as an object", "default.log", "{}", "after", "hello");
            objectHeaders.params.put("logURL", base + "/log/json");
            objectHeaders.params.putObject("headers").put("x-log", "1");
            objectHeaders.documented = "log: headers given as an object";
            out.add(objectHeaders);
            for (String[] t : new String[][] {{"ok", ""}, {"missing", ""}, {"moved", ""}, {"broken-redirect", ""}, {"ok", "missing"}}) {
                String text = "See " + base + "/url/" + t[0] + (t[1].isEmpty() ? "" : " and " + base + "/url/" + t[1]);
                // the local stub is a private address: Switchboard refuses it unless allowed (Portkey ignores the parameter)
                for (String p : List.of("{'allowPrivateAddresses':true}", "{'not':true,'allowPrivateAddresses':true}")) {
                    out.add(text("validUrls " + t[0] + "/" + t[1] + " " + p, "default.validUrls", p, "after", text));
                }
            }
            out.add(text("validUrls no URL", "default.validUrls", "{'not':true}", "after", "no links"));
            out.add(text("validUrls empty", "default.validUrls", "{}", "after", ""));
            String jwks = "{'jwksUri':'" + base + "/jwks'}";
            Case noHeader = text("jwt without header", "default.jwt", jwks, "before", "hi");
            out.add(noHeader);
            Case defaultKey = text("jwt valid token, default headerKey", "default.jwt", jwks, "before", "hi");
            defaultKey.headers.put("authorization", "Bearer " + token("k1", 0));
            defaultKey.documented = "jwt: the default headerKey";
            out.add(defaultKey);
            Case lower = text("jwt valid token, headerKey authorization", "default.jwt",
                    "{'jwksUri':'" + base + "/jwks','headerKey':'authorization'}", "before", "hi");
            lower.headers.put("authorization", "Bearer " + token("k1", 0));
            out.add(lower);
            Case noKid = text("jwt token without kid", "default.jwt", "{'jwksUri':'" + base + "/jwks','headerKey':'authorization'}", "before", "hi");
            noKid.headers.put("authorization", "Bearer " + token(null, 0));
            out.add(noKid);
            Case otherKid = text("jwt token with an unknown kid", "default.jwt", "{'jwksUri':'" + base + "/jwks','headerKey':'authorization'}", "before", "hi");
            otherKid.headers.put("authorization", "Bearer " + token("k2", 0));
            out.add(otherKid);
            Case old = text("jwt token older than maxTokenAge", "default.jwt",
                    "{'jwksUri':'" + base + "/jwks','headerKey':'authorization','maxTokenAge':'1h'}", "before", "hi");
            old.headers.put("authorization", "Bearer " + token("k1", -7200));
            out.add(old);
            Case garbage = text("jwt unreadable token", "default.jwt", "{'jwksUri':'" + base + "/jwks','headerKey':'authorization'}", "before", "hi");
            garbage.headers.put("authorization", "Bearer not-a-token");
            out.add(garbage);
            Case unreachable = text("jwt unreachable JWKS", "default.jwt", "{'jwksUri':'http://127.0.0.1:9/jwks','headerKey':'authorization'}", "before", "hi");
            unreachable.headers.put("authorization", "Bearer " + token("k1", 0));
            out.add(unreachable);
        }

        private static void hooks(List<Case> out) {
            Case typeless = new Case("a raw hook without type", null, "{}");
            typeless.request = chatRequest("too short");
            typeless.hookOverride = (ObjectNode) Json.parse("{\"id\":\"h\",\"deny\":true,\"checks\":[{\"id\":\"default.wordCount\","
                    + "\"parameters\":{\"minWords\":10,\"maxWords\":20}}]}");
            out.add(typeless);
            for (String[] p : new String[][] {{"default.wordCount", "{'maxWords':5}"}, {"default.characterCount", "{}"},
                {"default.sentenceCount", "{'minSentences':1}"}}) {
                Case c = text(p[0] + " without both bounds " + p[1], p[0], p[1], "before", "one two three.");
                c.documented = "counting checks: absent bounds";
                out.add(c);
            }
            Case containsNoOperator = text("contains without operator", "default.contains", "{'words':['two']}", "after", "one two");
            containsNoOperator.documented = "contains: absent operator";
            out.add(containsNoOperator);
        }
    }

    static {
        // the gateway's own log lines are noise here
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    }
}

package atrium.api.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every string the console shows comes from its dictionaries: both languages have the same keys
 * with the same placeholders; every key the page and the scripts name exists; and neither the page
 * nor a script writes text of its own.
 */
class ConsoleDictionaryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");
  private static final Pattern CJK = Pattern.compile("[\\u3400-\\u9fff\\uff00-\\uffef]");

  private static Map<String, String> dictionary(String lang) throws IOException {
    try (InputStream in = ConsoleDictionaryTest.class.getClassLoader().getResourceAsStream("console/i18n/" + lang + ".json")) {
      JsonNode node = JSON.readTree(in);
      Map<String, String> m = new TreeMap<>();
      node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
      return m;
    }
  }

  private static Path consoleDir() throws URISyntaxException {
    return Path.of(ConsoleDictionaryTest.class.getClassLoader().getResource("console/index.html").toURI()).getParent();
  }

  private static List<Path> scripts() throws Exception {
    try (Stream<Path> s = Files.walk(consoleDir())) {
      return s.filter(p -> p.toString().endsWith(".js")).sorted().toList();
    }
  }

  @Test
  void chineseAndEnglishHaveTheSameKeysAndPlaceholders() throws IOException {
    Map<String, String> zh = dictionary("zh-CN");
    Map<String, String> en = dictionary("en");
    assertEquals(zh.keySet(), en.keySet(), "keys in one dictionary only");
    List<String> wrong = new ArrayList<>();
    zh.forEach((key, text) -> {
      if (text.isBlank() || en.get(key).isBlank()) wrong.add(key + ": empty");
      if (!placeholders(text).equals(placeholders(en.get(key)))) wrong.add(key + ": placeholders differ");
    });
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  @Test
  void englishTextHasNoChineseExceptTheNameOfChinese() throws IOException {
    List<String> wrong = new ArrayList<>();
    dictionary("en").forEach((key, text) -> {
      if (CJK.matcher(text).find() && !key.equals("lang.other")) wrong.add(key);
    });
    assertTrue(wrong.isEmpty(), "English texts with Chinese characters: " + wrong);
  }

  @Test
  void everyKeyThePageAndTheScriptsNameExists() throws Exception {
    Set<String> keys = dictionary("zh-CN").keySet();
    Set<String> used = new TreeSet<>();
    String page = Files.readString(consoleDir().resolve("index.html"));
    collect(Pattern.compile("data-i18n=\"([^\"]+)\""), page, used);
    collect(Pattern.compile("data-i18n-attr=\"[a-z-]+:([^\";]+)\""), page, used);
    for (Path script : scripts()) {
      String js = String.join("\n", Files.readString(script).lines().map(ConsoleDictionaryTest::withoutComment).toList());
      collect(Pattern.compile("\\bt\\(\"([^\"]+)\""), js, used);
      collect(Pattern.compile("\"data-i18n\": \"([^\"]+)\""), js, used);
    }
    assertTrue(used.size() > 50, "keys found: " + used.size());
    used.removeAll(keys);
    assertTrue(used.isEmpty(), "keys used but in no dictionary: " + used);
  }

  @Test
  void thePageHasNoTextOfItsOwn() throws Exception {
    String page = Files.readString(consoleDir().resolve("index.html"), StandardCharsets.UTF_8);
    String text = page.replaceAll("(?s)<!--.*?-->", "").replaceAll("(?s)<[^>]*>", " ").replaceAll("\\s+", " ").trim();
    assertEquals("", text, "text in index.html that does not come from the dictionaries");
    assertTrue(page.contains("<html lang=\"zh-CN\">"), "the page starts in Simplified Chinese");
  }

  @Test
  void noScriptWritesTextOfItsOwn() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Path script : scripts()) {
      String[] lines = Files.readString(script).split("\n");
      for (int i = 0; i < lines.length; i++) {
        for (String found : literalText(lines[i])) wrong.add(script.getFileName() + ":" + (i + 1) + " " + found);
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  @Test
  void theLiteralTextCheckFindsLiteralTextAndOnlyThat() {
    assertEquals(1, literalText("clear(x).append(h(\"p\", { class: \"help\" }, \"No alarms\"));").size());
    assertEquals(1, literalText("el.textContent = 'Live';").size());
    assertEquals(1, literalText("h(\"button\", { \"aria-label\": \"Close\" })").size());
    assertEquals(1, literalText("el.setAttribute(\"title\", `Zone ${id}`);").size());
    assertEquals(1, literalText("el.textContent = \"报警\";").size());
    assertEquals(1, literalText("el.innerHTML = html;").size());
    assertEquals(List.of(), literalText("h(\"p\", { class: \"help\" }, t(\"alarms.none\"))"));
    assertEquals(List.of(), literalText("document.title = `${t(\"a\")} · ${t(\"b\")}`;"));
    assertEquals(List.of(), literalText("h(\"h1\", { id: \"floors-title\", \"data-i18n\": \"floors.title\" })"));
    assertEquals(List.of(), literalText("  // h(\"p\", {}, \"Alarms\") in a comment"));
  }

  /**
   * Literal text a line of script hands to an element: a string child of h()/s(), one assigned to
   * textContent and the like, or an attribute people read (aria-label, title, placeholder, alt); any
   * Chinese; any innerHTML. A literal is text when it holds a letter outside its ${...} expressions.
   * Comments are left out.
   */
  static List<String> literalText(String source) {
    String line = withoutComment(source);
    List<String> found = new ArrayList<>();
    if (CJK.matcher(line).find()) found.add("Chinese text: " + line.trim());
    if (line.contains("innerHTML")) found.add("innerHTML: " + line.trim());
    for (Pattern p : PLACES) {
      Matcher m = p.matcher(line);
      while (m.find()) {
        String text = m.group(1).substring(1, m.group(1).length() - 1).replaceAll("\\$\\{[^}]*}", "");
        if (text.matches("(?s).*\\p{L}.*") && !CJK.matcher(text).find()) found.add("literal text: " + m.group());
      }
    }
    return found;
  }

  private static final String LITERAL = "(\"[^\"]*\"|'[^']*'|`[^`]*`)";
  private static final List<Pattern> PLACES = List.of(
      Pattern.compile("\\b[hs]\\(\"[a-z0-9]+\",\\s*\\{[^}]*}\\s*,\\s*" + LITERAL),
      Pattern.compile("\\.(?:textContent|innerText|title|placeholder|ariaLabel)\\s*=\\s*" + LITERAL),
      Pattern.compile("(?<![\\w-])\"?(?:aria-label|title|placeholder|alt)\"?\\s*:\\s*" + LITERAL),
      Pattern.compile("setAttribute\\(\"(?:aria-label|title|placeholder|alt)\",\\s*" + LITERAL));

  private static String withoutComment(String line) {
    return line.replaceAll("^\\s*//.*", "").replaceAll("\\s//\\s.*$", "");
  }

  private static Set<String> placeholders(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) names.add(m.group(1));
    return names;
  }

  private static void collect(Pattern p, String text, Set<String> into) {
    Matcher m = p.matcher(text);
    while (m.find()) into.add(m.group(1));
  }
}

#include <obauth/core/json.hpp>

#include <gtest/gtest.h>

#include <sys/mman.h>

#include <cstdint>
#include <string>

namespace {

using obauth::core_errc;
using obauth::parse_json;

TEST(Json, ParsesOrdinaryDocuments) {
    const auto r = parse_json(R"({"a":1,"b":[true,null,"x",1.5],"c":{"d":-2}})");
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ((*r)["b"][2], "x");
    EXPECT_EQ((*r)["c"]["d"], -2);
    EXPECT_TRUE(parse_json("[]"));
    EXPECT_TRUE(parse_json(" 42 "));
    EXPECT_TRUE(parse_json(R"("\u00e9\ud83d\ude00")"));
}

TEST(Json, RejectsDuplicateMembersAtAnyDepth) {
    for (const char* doc : {R"({"a":1,"a":2})", R"({"a":1,"b":{"x":1,"x":1}})",
                            R"([{"k":[]},{"k":1,"k":1}])", R"({"alg":"HS256","alg":"none"})"}) {
        const auto r = parse_json(doc);
        ASSERT_FALSE(r) << doc;
        EXPECT_EQ(r.code(), core_errc::json_duplicate_member) << doc;
    }
    EXPECT_EQ(parse_json(R"({"alg":"HS256","alg":"none"})").error().detail, "member 'alg'");
    // The name is untrusted: control characters never reach the detail.
    EXPECT_EQ(parse_json(R"({"\u001b[2J":1,"\u001b[2J":2})").error().detail, "member '?[2J'");
    // Same name in sibling objects is fine.
    EXPECT_TRUE(parse_json(R"([{"a":1},{"a":2}])"));
}

TEST(Json, EnforcesTheDepthLimit) {
    const std::string deep_arrays = std::string(10000, '[') + std::string(10000, ']');
    auto r = parse_json(deep_arrays);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.code(), core_errc::json_too_deep);

    std::string deep_objects;
    for (int i = 0; i < 10000; ++i)
        deep_objects += "{\"a\":";
    deep_objects += "1" + std::string(10000, '}');
    r = parse_json(deep_objects);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.code(), core_errc::json_too_deep);

    const obauth::json_limits limits{1 << 20, 3};
    EXPECT_TRUE(parse_json("[[[1]]]", limits));
    EXPECT_EQ(parse_json("[[[[1]]]]", limits).code(), core_errc::json_too_deep);
    EXPECT_EQ(parse_json(R"({"a":{"b":{"c":{}}}})", limits).code(), core_errc::json_too_deep);
}

TEST(Json, RequiresValidUtf8) {
    const char* bad[] = {
        "\"\xC3\"",                 // truncated 2-byte sequence
        "\"\xC0\xAF\"",             // overlong '/'
        "\"\xE0\x80\xAF\"",         // overlong 3-byte
        "\"\xED\xA0\x80\"",         // UTF-16 surrogate U+D800
        "\"\xF4\x90\x80\x80\"",     // above U+10FFFF
        "\"\xF8\x88\x80\x80\x80\"", // 5-byte form
        "\"\x80\"",                 // lone continuation byte
        "\"\xFF\"",
        "{\"k\xE9y\":1}", // Latin-1 in a member name
    };
    for (const char* doc : bad) {
        const auto r = parse_json(doc);
        ASSERT_FALSE(r) << doc;
        EXPECT_EQ(r.code(), core_errc::json_invalid_utf8) << doc;
    }
    EXPECT_TRUE(parse_json("\"\xF0\x9F\x98\x80 \xE2\x82\xAC \xC3\xA9\""));
    // Escaped lone surrogates are not valid Unicode text either.
    EXPECT_EQ(parse_json(R"("\ud800")").code(), core_errc::json_syntax_error);
    EXPECT_EQ(parse_json(R"("\udc00x")").code(), core_errc::json_syntax_error);
}

TEST(Json, RefusesOversizedInputWithoutReadingIt) {
    // 100 MB of memory that cannot be read at all: touching any byte would
    // crash the test, so passing proves the limit is checked first.
    const std::size_t size = std::size_t{100} << 20;
    void* p = mmap(nullptr, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(p, MAP_FAILED);
    const auto r = parse_json(std::string_view(static_cast<const char*>(p), size));
    munmap(p, size);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.code(), core_errc::json_too_large);

    const obauth::json_limits limits{8, 32};
    EXPECT_TRUE(parse_json("[1,2,3]", limits));
    EXPECT_EQ(parse_json("[1,2,3,4]", limits).code(), core_errc::json_too_large);
}

TEST(Json, RejectsWhatRfc8259DoesNotAllow) {
    for (const char* doc : {"",
                            " ",
                            "{",
                            "}",
                            "[1,]",
                            "{\"a\":1,}",
                            "{'a':1}",
                            "{a:1}",
                            "[01]",
                            "[NaN]",
                            "[Infinity]",
                            "[+1]",
                            "[.5]",
                            "[1.]",
                            "\"unterminated",
                            "[1] [2]",
                            "{\"a\":1} x",
                            "/* c */ {}",
                            "{} // c",
                            "[\"tab\there\"]",
                            "[\"nl\nhere\"]",
                            "[\"\\x41\"]",
                            "nul",
                            "[true false]",
                            "\"\\u12G4\""}) {
        const auto r = parse_json(doc);
        ASSERT_FALSE(r) << doc;
        EXPECT_EQ(r.code(), core_errc::json_syntax_error) << doc;
    }
    EXPECT_EQ(parse_json("\xEF\xBB\xBF{}").code(), core_errc::json_syntax_error);
    EXPECT_EQ(parse_json(std::string("{}\0", 3)).code(), core_errc::json_syntax_error);
    EXPECT_EQ(parse_json(std::string("{\"a\":1}\0{\"b\":2}", 15)).code(),
              core_errc::json_syntax_error);
    EXPECT_EQ(parse_json(std::string("[\"a\0b\"]", 7)).code(), core_errc::json_syntax_error);
}

// Numbers are stored as nlohmann's own parser stores them (the fuzz harness
// compares the two on random input).
TEST(Json, NumbersKeepNlohmannsTypes) {
    using t = obauth::json::value_t;
    const struct {
        const char* text;
        t type;
    } cases[] = {
        {"0", t::number_unsigned},
        {"-0", t::number_integer},
        {"18446744073709551615", t::number_unsigned}, // 2^64 - 1
        {"18446744073709551616", t::number_float},    // 2^64
        {"-9223372036854775808", t::number_integer},  // -2^63
        {"-9223372036854775809", t::number_float},    // below it
        {"1.5", t::number_float},
        {"1e2", t::number_float},
        {"1E+2", t::number_float},
        {"-1.25e-3", t::number_float},
    };
    for (const auto& c : cases) {
        const auto r = parse_json(c.text);
        ASSERT_TRUE(r) << c.text << ": " << r.error();
        EXPECT_EQ(r->type(), c.type) << c.text;
        EXPECT_EQ(*r, obauth::json::parse(c.text)) << c.text;
    }
    // Too large for a double: refused; too small: zero, as strtod reads it.
    for (const char* huge : {"1e400", "-1e309", "123456789e301", "0.1e310"})
        EXPECT_EQ(parse_json(huge).code(), core_errc::json_syntax_error) << huge;
    for (const char* tiny : {"1e-400", "-1e-400", "0.0000001e-320", "123e-400"}) {
        const auto r = parse_json(tiny);
        ASSERT_TRUE(r) << tiny;
        EXPECT_EQ(*r->get_ptr<const double*>(), 0.0) << tiny;
    }
}

TEST(Json, StringEscapes) {
    const auto r =
        parse_json(R"(["\"\\\/\b\f\n\r\t", "\u0041\u00e9\u20ac", "\ud83d\ude00", "\u0000"])");
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ((*r)[0], "\"\\/\b\f\n\r\t");
    EXPECT_EQ((*r)[1], "A\xC3\xA9\xE2\x82\xAC");
    EXPECT_EQ((*r)[2], "\xF0\x9F\x98\x80");
    EXPECT_EQ((*r)[3], std::string(1, '\0'));
    // Member names are unescaped before the duplicate check.
    EXPECT_EQ(parse_json(R"({"a":1,"\u0061":2})").code(), core_errc::json_duplicate_member);
    for (const char* bad : {R"("\ud83d")", R"("\ud83dx")", R"("\ud83d\u0041")", R"("\ude00")",
                            R"("\u12")", R"("\)", R"("\a")"})
        EXPECT_EQ(parse_json(bad).code(), core_errc::json_syntax_error) << bad;
}

// The parser keeps its own stack: a limit as high as the caller likes costs
// memory, never the C++ stack.
TEST(Json, DeepNestingWithinAHighLimitDoesNotRecurse) {
    const std::size_t depth = 100000;
    const std::string doc = std::string(depth, '[') + std::string(depth, ']');
    auto r = parse_json(doc, obauth::json_limits{1 << 20, depth});
    ASSERT_TRUE(r) << r.error();
    const obauth::json* inner = &*r;
    for (int i = 0; i < 3; ++i)
        inner = &(*inner)[0];
    EXPECT_TRUE(inner->is_array());
}

TEST(Json, ObjectOnly) {
    EXPECT_TRUE(obauth::parse_json_object("{}"));
    for (const char* doc : {"[]", "1", "\"{}\"", "null"})
        EXPECT_EQ(obauth::parse_json_object(doc).code(), core_errc::json_wrong_type) << doc;
}

TEST(Json, TypedGettersReportInsteadOfThrowing) {
    const auto doc = parse_json(R"({"s":"v","i":7,"big":18446744073709551615,"neg":-5,
        "f":1.5,"f0":3.0,"b":true,"o":{},"a":[],"n":null})")
                         .value();
    EXPECT_EQ(obauth::get_string(doc, "s").value(), "v");
    EXPECT_EQ(obauth::get_int64(doc, "i").value(), 7);
    EXPECT_EQ(obauth::get_int64(doc, "neg").value(), -5);
    EXPECT_EQ(obauth::get_bool(doc, "b").value(), true);
    EXPECT_TRUE(obauth::get_object(doc, "o"));
    EXPECT_TRUE(obauth::get_array(doc, "a"));

    auto missing = obauth::get_string(doc, "nope");
    EXPECT_EQ(missing.code(), core_errc::json_missing_member);
    EXPECT_EQ(missing.error().detail, "member 'nope' is missing");
    auto wrong = obauth::get_string(doc, "i");
    EXPECT_EQ(wrong.code(), core_errc::json_wrong_type);
    EXPECT_EQ(wrong.error().detail, "member 'i' is not a string");
    EXPECT_EQ(obauth::get_int64(doc, "big").code(), core_errc::json_out_of_range);
    EXPECT_EQ(obauth::get_int64(doc, "f").code(), core_errc::json_wrong_type);
    EXPECT_EQ(obauth::get_int64(doc, "f0").code(), core_errc::json_wrong_type);
    EXPECT_EQ(obauth::get_int64(doc, "s").code(), core_errc::json_wrong_type);
    EXPECT_EQ(obauth::get_bool(doc, "n").code(), core_errc::json_wrong_type);
    EXPECT_EQ(obauth::get_object(doc, "a").code(), core_errc::json_wrong_type);
    EXPECT_EQ(obauth::get_array(doc, "o").code(), core_errc::json_wrong_type);
    EXPECT_EQ(obauth::get_string(obauth::json::array(), "s").code(), core_errc::json_wrong_type);

    EXPECT_FALSE(obauth::get_optional_string(doc, "nope").value().has_value());
    EXPECT_EQ(obauth::get_optional_string(doc, "s").value().value(), "v");
    EXPECT_EQ(obauth::get_optional_string(doc, "i").code(), core_errc::json_wrong_type);
    EXPECT_EQ(obauth::get_optional_int64(doc, "i").value().value(), 7);
    EXPECT_FALSE(obauth::get_optional_int64(doc, "x").value().has_value());
    EXPECT_EQ(obauth::get_optional_bool(doc, "b").value().value(), true);
    EXPECT_EQ(obauth::find_member(doc, "x"), nullptr);
    EXPECT_NE(obauth::find_member(doc, "n"), nullptr);
}

TEST(Json, SerializeRefusesInvalidUtf8InsteadOfThrowing) {
    obauth::json j = {{"ok", "caf\xC3\xA9"}};
    EXPECT_EQ(obauth::serialize_json(j).value(), "{\"ok\":\"caf\xC3\xA9\"}");
    j["bad"] = std::string("\xFF");
    EXPECT_EQ(obauth::serialize_json(j).code(), core_errc::json_invalid_utf8);
    obauth::json k;
    k[std::string("\xC0")] = 1;
    EXPECT_EQ(obauth::serialize_json(k).code(), core_errc::json_invalid_utf8);
    obauth::json deep = 1;
    for (int i = 0; i < 40; ++i)
        deep = obauth::json::array({deep});
    EXPECT_FALSE(obauth::serialize_json(deep));
}

TEST(Json, Utf8ValidatorAgreesOnEdgeCases) {
    using obauth::is_valid_utf8;
    EXPECT_TRUE(is_valid_utf8(""));
    EXPECT_TRUE(is_valid_utf8("plain ascii text longer than eight bytes"));
    EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
    EXPECT_TRUE(is_valid_utf8("\xEE\x80\x80"));      // U+E000
    EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF
    EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));     // U+DFFF
    EXPECT_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF")); // overlong
    EXPECT_FALSE(is_valid_utf8("\xE2\x82"));         // truncated at the end
    EXPECT_FALSE(is_valid_utf8("12345678\xE2\x28\xA1"));
}

} // namespace

// --- the writer and the scanner behind the hot paths ------------------------

#include <obauth/core/json_scanner.hpp>

#include <cmath>
#include <limits>
#include <random>

namespace {

obauth::json random_value(std::mt19937& g, int depth) {
    std::uniform_int_distribution<int> kind(0, depth > 3 ? 5 : 7);
    auto random_string = [&g] {
        static const char* pieces[] = {"a",
                                       "Z",
                                       "\"",
                                       "\\",
                                       "/",
                                       "\n",
                                       "\t",
                                       "\x01",
                                       "\x1f",
                                       " ",
                                       "\xC3\xA9",
                                       "\xE2\x82\xAC",
                                       "\xF0\x9F\x98\x80",
                                       "\x7f",
                                       "u0041"};
        std::string s;
        const int n = std::uniform_int_distribution<int>(0, 12)(g);
        for (int i = 0; i < n; ++i)
            s += pieces[std::uniform_int_distribution<int>(0, 14)(g)];
        return s;
    };
    switch (kind(g)) {
    case 0:
        return nullptr;
    case 1:
        return g() % 2 == 0;
    case 2:
        return static_cast<std::int64_t>(g()) * (g() % 2 ? 1 : -1) *
               static_cast<std::int64_t>(g() % 1000000);
    case 3:
        return std::numeric_limits<std::uint64_t>::max() - g() % 1000;
    case 4: {
        const double d =
            std::ldexp(static_cast<double>(g()) / 3.0, static_cast<int>(g() % 200) - 100);
        return g() % 2 ? d : -d;
    }
    case 5:
        return random_string();
    case 6: {
        obauth::json a = obauth::json::array();
        const int n = std::uniform_int_distribution<int>(0, 4)(g);
        for (int i = 0; i < n; ++i)
            a.push_back(random_value(g, depth + 1));
        return a;
    }
    default: {
        obauth::json o = obauth::json::object();
        const int n = std::uniform_int_distribution<int>(0, 5)(g);
        for (int i = 0; i < n; ++i)
            o[random_string()] = random_value(g, depth + 1);
        return o;
    }
    }
}

TEST(JsonWriter, RoundTripsRandomDocuments) {
    std::mt19937 g(7);
    for (int i = 0; i < 3000; ++i) {
        const obauth::json doc = random_value(g, 0);
        const auto text = obauth::serialize_json(doc);
        ASSERT_TRUE(text) << i;
        const auto back = obauth::parse_json(*text);
        ASSERT_TRUE(back) << *text << ": " << back.error();
        ASSERT_EQ(*back, doc) << *text;
    }
}

TEST(JsonWriter, KnownForms) {
    EXPECT_EQ(obauth::serialize_json(obauth::json{{"b", 1.0}, {"a", "x\"y\\z\n\x01"}}).value(),
              R"({"a":"x\"y\\z\n\u0001","b":1.0})");
    EXPECT_EQ(obauth::serialize_json(obauth::json(0.1)).value(), "0.1");
    EXPECT_EQ(obauth::serialize_json(obauth::json(1e300)).value(), "1e+300");
    EXPECT_EQ(obauth::serialize_json(obauth::json(-0.0)).value(), "-0.0");
    EXPECT_EQ(obauth::serialize_json(obauth::json(std::nan(""))).code(),
              obauth::core_errc::json_out_of_range);
    EXPECT_EQ(obauth::serialize_json(obauth::json(HUGE_VAL)).code(),
              obauth::core_errc::json_out_of_range);
    std::string out = "prefix:";
    ASSERT_TRUE(obauth::serialize_json_append(obauth::json::array({1, "two"}), out));
    EXPECT_EQ(out, R"(prefix:[1,"two"])");
}

// Records what the scanner reports, for comparison with parse_json's DOM.
struct recorder {
    std::vector<std::string> events;
    void key(std::size_t d, std::string_view n) {
        events.push_back("k" + std::to_string(d) + std::string(n));
    }
    void string(std::size_t d, std::string_view raw, bool esc) {
        events.push_back("s" + std::to_string(d) + (esc ? "!" : "") + std::string(raw));
    }
    void number(std::size_t d, std::string_view t, bool integral) {
        events.push_back("n" + std::to_string(d) + (integral ? "i" : "f") + std::string(t));
    }
    void literal(std::size_t d, char c) { events.push_back("l" + std::to_string(d) + c); }
    void open(std::size_t d, bool object) {
        events.push_back("o" + std::to_string(d) + (object ? "{" : "["));
    }
    void close(std::size_t d) { events.push_back("c" + std::to_string(d)); }
};

// The same, asking for the object members' strings to be read inline.
struct hot_recorder : recorder {
    static constexpr bool hot = true;
};

// Whether the scanner accepts `text`; both ways of reading it must agree.
bool scans(std::string_view text, std::size_t depth = 32) {
    recorder r;
    hot_recorder h;
    obauth::json_scanner s(text, depth), t(text, depth);
    const bool accepted = s.scan(r);
    EXPECT_EQ(t.scan(h), accepted) << text;
    if (accepted) {
        EXPECT_EQ(h.events, r.events) << text;
    }
    return accepted;
}

TEST(JsonScanner, ReportsEvents) {
    recorder r;
    obauth::json_scanner s(R"( {"alg":"ES256","n":[1,-2.5e3,true,null],"o":{"x":"a\nb"}} )", 16);
    ASSERT_TRUE(s.scan(r));
    const std::vector<std::string> expected = {
        "o0{", "k1alg", "s1ES256", "k1n", "o1[", "n2i1",     "n2f-2.5e3", "l2t",
        "l2n", "c1",    "k1o",     "o1{", "k2x", "s2!a\\nb", "c1",        "c0"};
    EXPECT_EQ(r.events, expected);
}

TEST(JsonScanner, NeverAcceptsWhatParseJsonRefuses) {
    // Valid documents and random mutations of them: whenever the scanner
    // accepts, parse_json must accept too; and the simple valid documents
    // must be accepted by the scanner (the fast path must be taken).
    const std::vector<std::string> seeds = {
        R"({"alg":"HS256","typ":"JWT","kid":"k-1"})",
        R"({"iss":"https://as.example","aud":["a","b"],"exp":1700000300,"nbf":0,"x":{"y":[1,2,{"z":null}]}})",
        R"([1,-0,0.5,1e10,1E-2,-3.25e+7,"s",true,false,null,{},[]])",
        R"({"a":"\u00e9\ud83d\ude00\/\b\f\n\r\t\"\\"})",
        R"("just a string")",
        "42",
        "  {\n\t\"a\" : 1 \r\n}  "};
    for (const auto& s : seeds) {
        EXPECT_TRUE(scans(s)) << s;
        EXPECT_TRUE(obauth::parse_json(s)) << s;
    }
    std::mt19937 g(11);
    const std::string alphabet = "{}[]:,\"\\ntfrue0123456789-+.eE u\x01\xC3\xA9\x80\xFF\0";
    int accepted = 0;
    for (int i = 0; i < 300000; ++i) {
        std::string s = seeds[g() % seeds.size()];
        const int edits = 1 + static_cast<int>(g() % 3);
        for (int e = 0; e < edits; ++e) {
            const std::size_t pos = s.empty() ? 0 : g() % s.size();
            const char c = alphabet[g() % (alphabet.size() + 1)];
            switch (g() % 3) {
            case 0:
                s.insert(s.begin() + static_cast<long>(pos), c);
                break;
            case 1:
                if (!s.empty())
                    s.erase(pos, 1);
                break;
            default:
                if (!s.empty())
                    s[pos] = c;
            }
        }
        if (scans(s)) {
            ++accepted;
            ASSERT_TRUE(obauth::parse_json(s)) << "scanner accepted: " << s;
        }
    }
    EXPECT_GT(accepted, 1000); // the mutations do reach the accepting paths
}

// The writer and the scanner look at 16 bytes at a time: every kind of byte
// that stops them, at every position of strings longer than a block (and
// of the text around them), is escaped, passed or refused like the
// reference (nlohmann's dump for the writer, parse_json for the scanner).
TEST(JsonWriter, EveryStopByteAtEveryPosition) {
    const std::string stops[] = {
        "\"",   "\\",          "\n",           std::string(1, '\0'), "\x1f",
        "\x7f", "\xC3\xA9",    "\xE2\x82\xAC", "\xF0\x9F\x98\x80",   "\xFF",
        "\xC3", "\xED\xA0\x80"};
    for (const std::string& stop : stops) {
        const bool valid_utf8 = obauth::is_valid_utf8(stop);
        for (std::size_t len = 0; len < 40; ++len) {
            for (std::size_t at = 0; at <= len; ++at) {
                const std::string s = std::string(at, 'a') + stop + std::string(len - at, 'b');
                const auto written = obauth::serialize_json(obauth::json(s));
                ASSERT_EQ(written.has_value(), valid_utf8) << len << " " << at;
                if (!valid_utf8)
                    continue;
                ASSERT_EQ(*written, obauth::json(s).dump()) << len << " " << at;
                recorder r;
                obauth::json_scanner sc(*written, 4);
                ASSERT_TRUE(sc.scan(r)) << *written;
                ASSERT_EQ(r.events.size(), 1u);
                // Raw text unescaped only when nothing needed escaping.
                if (r.events[0][2] != '!') {
                    ASSERT_EQ(r.events[0].substr(2), s);
                }
                // Unescaped in the text, a quote ends the string early and a
                // control byte or broken UTF-8 is refused: scanner and parser agree.
                const std::string raw = "[\"" + s + "\"]";
                ASSERT_EQ(scans(raw), obauth::parse_json(raw).has_value()) << len << " " << at;
                const std::string member = "{\"k\":\"" + s + "\"}";
                ASSERT_EQ(scans(member), obauth::parse_json(member).has_value())
                    << len << " " << at;
            }
        }
    }
}

TEST(JsonScanner, GivesUpOnWhatItDoesNotHandle) {
    EXPECT_FALSE(scans(R"({"a\u0062":1})"));     // escaped member name
    EXPECT_FALSE(scans(R"({"a":1,"a":2})"));     // duplicate
    EXPECT_TRUE(scans(R"([{"a":1},{"a":2}])"));  // siblings may repeat names
    EXPECT_FALSE(scans(R"({"a":{"b":{}}})", 2)); // deeper than the limit
    EXPECT_TRUE(scans(R"({"a":{"b":{}}})", 3));
    std::string many = "{";
    for (int i = 0; i < 65; ++i)
        many += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
    EXPECT_FALSE(scans(many + "}"));             // more than 64 names open
    EXPECT_FALSE(scans("\xEF\xBB\xBF{}"));       // BOM
    EXPECT_FALSE(scans(std::string("{}\0", 3))); // NUL
    EXPECT_FALSE(scans(R"(["\ud800"])"));        // lone surrogate
    EXPECT_FALSE(scans(R"(["\udc00"])"));
    EXPECT_FALSE(scans("[01]"));
    EXPECT_FALSE(scans(""));
    // UTF-8 is checked by the scanner itself, inside and outside strings.
    EXPECT_TRUE(scans("[\"caf\xC3\xA9 \xF0\x9F\x98\x80\"]"));
    for (const char* bad :
         {"[\"\xC3\"]", "[\"\xC0\xAF\"]", "[\"\xED\xA0\x80\"]", "[\"\xF4\x90\x80\x80\"]",
          "[\"\x80\"]", "[\"abcdefgh\xFF\"]", "[1,\xC3\xA9]"})
        EXPECT_FALSE(scans(bad)) << bad;
}

} // namespace

// Strict JSON: parse_json never fails badly, and agrees with two other
// parsers (differential): nlohmann's own parser — whatever either accepts,
// the other reads as the same document, except for what parse_json refuses
// on purpose (duplicate names, nesting over the limit, a byte order mark, a
// NUL byte, which nlohmann's reader takes for the end of the input) —
// and the allocation-free scanner — whatever it accepts, parse_json accepts
// as the same document. Secret members taken out before parsing
// (json_secrets.hpp) read as parse_json reads them.
#include <obauth/core/json.hpp>
#include <obauth/core/json_scanner.hpp>
#include <obauth/core/json_secrets.hpp>

#include "fuzz_support.hpp"

#include <array>
#include <cstdlib>
#include <vector>

namespace {

using obauth::json;

/// Rebuilds the document from the scanner's events.
struct rebuild {
    std::vector<json*> stack;
    std::vector<std::string> keys;
    json root;
    bool ok = true;

    json* slot(std::size_t depth) {
        if (depth == 0)
            return &root;
        json* parent = stack[depth - 1];
        if (parent->is_array()) {
            parent->push_back(json());
            return &parent->back();
        }
        auto& obj = *parent->get_ptr<json::object_t*>();
        if (obj.count(keys[depth - 1]) != 0)
            ok = false; // a repeated member name the scanner let through
        return &obj[keys[depth - 1]];
    }
    void put(std::size_t depth, json v) { *slot(depth) = std::move(v); }

    void key(std::size_t depth, std::string_view name) {
        if (keys.size() < depth)
            keys.resize(depth);
        keys[depth - 1] = std::string(name);
    }
    void string(std::size_t depth, std::string_view raw, bool escaped) {
        if (!escaped) {
            put(depth, json(std::string(raw)));
            return;
        }
        auto decoded = obauth::parse_json("\"" + std::string(raw) + "\"");
        if (!decoded) {
            ok = false;
            return;
        }
        put(depth, std::move(*decoded));
    }
    void number(std::size_t depth, std::string_view text, bool) {
        auto v = obauth::parse_json(text);
        if (!v) {
            ok = false;
            return;
        }
        put(depth, std::move(*v));
    }
    void literal(std::size_t depth, char first) {
        put(depth, first == 't' ? json(true) : first == 'f' ? json(false) : json(nullptr));
    }
    void open(std::size_t depth, bool object) {
        json* s = slot(depth);
        *s = object ? json::object() : json::array();
        if (stack.size() <= depth)
            stack.resize(depth + 1);
        stack[depth] = s;
    }
    void close(std::size_t) {}
};

/// The same, for a handler that asks for object members' strings inline.
struct hot_rebuild : rebuild {
    static constexpr bool hot = true;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    obauth::fuzz::input in(data, size);
    const std::size_t depth = 1 + in.byte() % 40;
    const std::string_view text = in.rest();
    const auto parsed = obauth::parse_json(text, obauth::json_limits{1 << 20, depth});
    if (parsed)
        (void)obauth::serialize_json(*parsed);
    // nlohmann's parser, as the reference for the grammar and the values.
    const json reference =
        json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (parsed && (reference.is_discarded() || reference != *parsed))
        std::abort(); // accepted what nlohmann refuses, or read it differently
    if (!parsed && !reference.is_discarded()) {
        const std::error_code e = parsed.error().code;
        if (e != obauth::core_errc::json_duplicate_member &&
            e != obauth::core_errc::json_too_deep && text.substr(0, 3) != "\xEF\xBB\xBF" &&
            text.find('\0') == std::string_view::npos)
            std::abort(); // refused what nlohmann accepts, for no reason of ours
    }
    rebuild r;
    obauth::json_scanner scanner(text, depth);
    const bool accepted = scanner.scan(r);
    if (accepted) {
        if (!r.ok || !parsed || *parsed != r.root)
            std::abort(); // the scanner accepted what parse_json refuses, or read it differently
    }
    hot_rebuild h; // object members' strings read inline: the same verdict and document
    obauth::json_scanner hot_scanner(text, depth);
    if (hot_scanner.scan(h) != accepted || (accepted && (h.ok != r.ok || h.root != r.root)))
        std::abort();
    // Secret members taken out before parsing read as the parser reads them,
    // and the blanked text parses to the same document with "" in their place.
    obauth::wiping_string blanked(text);
    std::array<obauth::secret_member, 2> m{{{"a", {}}, {"b", {}}}};
    if (obauth::take_secret_members(blanked, m, depth)) {
        const auto rest = obauth::parse_json(blanked, obauth::json_limits{1 << 20, depth});
        if (parsed.has_value() != rest.has_value())
            std::abort();
        if (parsed) {
            json expected = *parsed;
            for (auto& member : m) {
                if (!member.value)
                    continue;
                json& v = expected[std::string(member.name)];
                if (!v.is_string() || *v.get_ptr<const std::string*>() !=
                                          std::string(member.value->expose_secret_chars()))
                    std::abort();
                v = "";
            }
            if (expected != *rest)
                std::abort();
        }
    }
    return 0;
}

// The SAX handler behind parse_json: builds the DOM like nlohmann's own, but
// refuses duplicate member names and nesting beyond a depth limit, and
// records the first error instead of throwing.
#pragma once

#include "../error.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace obauth::detail {

class strict_json_builder {
public:
    using json = nlohmann::json;

    strict_json_builder(json& root, std::size_t max_depth) : root_(root), max_depth_(max_depth) {}

    bool null() { return put(nullptr); }
    bool boolean(bool v) { return put(v); }
    bool number_integer(json::number_integer_t v) { return put(v); }
    bool number_unsigned(json::number_unsigned_t v) { return put(v); }
    bool number_float(json::number_float_t v, const std::string&) { return put(v); }
    bool string(std::string& v) { return put(std::move(v)); }
    bool binary(json::binary_t&) { return fail(core_errc::json_syntax_error, "binary value"); }

    bool start_object(std::size_t) { return open(json::value_t::object); }
    bool end_object() { return close(); }
    bool start_array(std::size_t) { return open(json::value_t::array); }
    bool end_array() { return close(); }

    bool key(std::string& k) {
        auto* obj = stack_.back()->get_ptr<json::object_t*>();
        if (obj->find(k) != obj->end())
            return fail(core_errc::json_duplicate_member, "member '" + truncated(k) + "'");
        key_ = std::move(k);
        return true;
    }

    template <class Exception>
    bool parse_error(std::size_t position, const std::string&, const Exception&) {
        return fail(core_errc::json_syntax_error, "at offset " + std::to_string(position));
    }

    core_errc error() const noexcept { return error_; }
    const std::string& error_detail() const noexcept { return detail_; }

private:
    static std::string truncated(const std::string& k) {
        return k.size() <= 32 ? k : k.substr(0, 32) + "...";
    }

    bool fail(core_errc e, std::string detail) {
        if (error_ == core_errc{}) {
            error_ = e;
            detail_ = std::move(detail);
        }
        return false;
    }

    // Inserts a value into the current container (or as the root) and
    // returns a pointer to it.
    template <class V>
    json* insert(V&& v) {
        if (stack_.empty()) {
            root_ = json(std::forward<V>(v));
            return &root_;
        }
        json* top = stack_.back();
        if (auto* arr = top->get_ptr<json::array_t*>()) {
            arr->emplace_back(std::forward<V>(v));
            return &arr->back();
        }
        auto* obj = top->get_ptr<json::object_t*>();
        return &obj->emplace(std::move(key_), json(std::forward<V>(v))).first->second;
    }

    template <class V>
    bool put(V&& v) {
        insert(std::forward<V>(v));
        return true;
    }

    bool open(json::value_t t) {
        if (stack_.size() >= max_depth_)
            return fail(core_errc::json_too_deep,
                        "deeper than " + std::to_string(max_depth_) + " levels");
        stack_.push_back(insert(t));
        return true;
    }
    bool close() {
        stack_.pop_back();
        return true;
    }

    json& root_;
    std::size_t max_depth_;
    std::vector<json*> stack_;
    std::string key_;
    core_errc error_{};
    std::string detail_;
};

} // namespace obauth::detail

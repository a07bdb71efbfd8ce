// Protected headers to and from their base64url form: decoded and
// summarized for the verifiers, encoded for the signer. Both keep a small
// per-thread memo: a service verifies the tokens of a few issuers and signs
// with a few keys, and their protected headers repeat byte for byte, so a
// header seen again costs a comparison instead of a decode and a scan (or a
// write and an encode). Headers are public; the memos never hold secrets.
#pragma once

#include "jws_header.hpp"
#include "text_buffer.hpp"

#include "../../core/base64url.hpp"
#include "../../core/json.hpp"
#include "../../core/json_scanner.hpp"

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace obauth::jose::detail {

/// A decoded protected header: its text, then (once verified) the payload,
/// in one buffer; and the header's summary, whose views point into the
/// buffer or, after a fallback, into `dom`.
struct decoded_header {
    text_buffer text;
    std::size_t header_len = 0;
    std::unique_ptr<json> dom; // only when the scanner gave up
    header_summary summary;
};

/// Copies `s`, whose views point into the text at `from`, into `out` with
/// its views pointing into the same text at `to`.
inline void copy_summary(const header_summary& s, const char* from, const char* to,
                         header_summary& out) noexcept {
    const auto moved = [from, to](std::string_view v) {
        return v.data() == nullptr ? v : std::string_view(to + (v.data() - from), v.size());
    };
    out.alg_kind = s.alg_kind;
    out.kid_kind = s.kid_kind;
    out.typ_kind = s.typ_kind;
    out.crit_kind = s.crit_kind;
    out.b64_kind = s.b64_kind;
    out.alg = moved(s.alg);
    out.kid = moved(s.kid);
    out.typ = moved(s.typ);
    out.ncrit = s.ncrit;
    for (std::size_t i = 0; i < s.ncrit; ++i)
        out.crit[i] = moved(s.crit[i]);
    out.crit_has_non_string = s.crit_has_non_string;
    out.nnames = s.nnames;
    for (std::size_t i = 0; i < s.nnames; ++i)
        out.names[i] = moved(s.names[i]);
}

/// The last few headers this thread's scanner summarized, by their
/// base64url text and the limits they were read under.
class decoded_header_memo {
public:
    static constexpr std::size_t slots = 4;
    static constexpr std::size_t max_encoded = 512;

    static decoded_header_memo& local() {
        thread_local decoded_header_memo memo;
        return memo;
    }

    /// Fills `out` (header text and summary) when `b64` is remembered.
    bool recall(std::string_view b64, const json_limits& limits, std::size_t payload_room,
                decoded_header& out) {
        for (std::size_t i = 0; i < used_; ++i) {
            const entry& e = entries_[i];
            if (e.b64 != b64 || e.max_bytes != limits.max_bytes || e.max_depth != limits.max_depth)
                continue;
            out.text.reserve(e.text.size() + payload_room);
            out.text.assign(e.text);
            out.header_len = e.text.size();
            copy_summary(e.summary, e.text.data(), out.text.data(), out.summary);
            return true;
        }
        return false;
    }

    /// Keeps a header the scanner summarized (`h.text` holds only it).
    void remember(std::string_view b64, const json_limits& limits, const decoded_header& h) {
        if (b64.size() > max_encoded)
            return;
        entry& e = entries_[next_];
        next_ = (next_ + 1) % slots;
        if (used_ < slots)
            ++used_;
        e.b64.assign(b64);
        e.text.assign(std::string_view(h.text).substr(0, h.header_len));
        e.max_bytes = limits.max_bytes;
        e.max_depth = limits.max_depth;
        copy_summary(h.summary, h.text.data(), e.text.data(), e.summary);
    }

private:
    struct entry {
        std::string b64, text;
        std::size_t max_bytes = 0, max_depth = 0;
        header_summary summary; // views into `text`
    };
    std::array<entry, slots> entries_;
    std::size_t used_ = 0, next_ = 0;
};

/// Decodes and summarizes a protected header into `out`, reserving room for
/// `payload_room` more octets so that appending the payload later neither
/// reallocates nor moves the text the summary points into.
inline result<void> decode_header(std::string_view b64, const json_limits& limits,
                                  std::size_t payload_room, decoded_header& out) {
    decoded_header_memo& memo = decoded_header_memo::local();
    if (memo.recall(b64, limits, payload_room, out))
        return {};
    const auto len = base64url_decoded_size(b64.size());
    if (!len)
        return make_error(errc::malformed, "header: " + len.error().to_string());
    out.text.reserve(*len + payload_room);
    if (auto r = base64url_decode_into(b64, reinterpret_cast<unsigned char*>(out.text.extend(*len)),
                                       *len);
        !r)
        return make_error(errc::malformed, "header: " + r.error().to_string());
    out.header_len = *len;
    const std::string_view t = out.text;
    if (t.size() <= limits.max_bytes) {
        header_scan_handler h{out.summary, true, false, header_scan_handler::other};
        json_scanner scanner(t, limits.max_depth);
        if (scanner.scan(h) && h.ok) {
            if (!h.top_object)
                return make_error(errc::invalid_header, "header is not an object");
            memo.remember(b64, limits, out);
            return {};
        }
    }
    // The scanner gave up: the strict parser has the verdict (and the error).
    out.summary = header_summary{};
    auto j = parse_json_object(t, limits);
    if (!j)
        return make_error(errc::invalid_header, j.error().to_string());
    out.dom = std::make_unique<json>(std::move(*j));
    OBAUTH_TRY(out.summary, summarize_header(*out.dom));
    return {};
}

/// Appends the payload to a verified header's buffer: decoded when `b64`,
/// as is otherwise.
inline result<void> append_payload(decoded_header& h, std::string_view part, bool b64) {
    if (!b64) {
        h.text.append(part);
        return {};
    }
    const auto len = base64url_decoded_size(part.size());
    if (!len)
        return make_error(errc::malformed, "payload: " + len.error().to_string());
    if (auto r = base64url_decode_into(part, reinterpret_cast<unsigned char*>(h.text.extend(*len)),
                                       *len);
        !r)
        return make_error(errc::malformed, "payload: " + r.error().to_string());
    return {};
}

/// The base64url protected headers this thread's signer wrote last, for
/// headers of alg, kid and typ alone (no crit, no other members).
class encoded_header_memo {
public:
    static constexpr std::size_t slots = 4;
    static constexpr std::size_t max_encoded = 512;

    static encoded_header_memo& local() {
        thread_local encoded_header_memo memo;
        return memo;
    }

    const std::string* find(algorithm alg, std::string_view kid,
                            const std::optional<std::string>& typ) const noexcept {
        for (std::size_t i = 0; i < used_; ++i) {
            const entry& e = entries_[i];
            if (e.alg == alg && e.kid == kid && e.has_typ == typ.has_value() &&
                (!typ || e.typ == *typ))
                return &e.b64;
        }
        return nullptr;
    }

    void remember(algorithm alg, std::string_view kid, const std::optional<std::string>& typ,
                  std::string_view b64) {
        if (b64.size() > max_encoded)
            return;
        entry& e = entries_[next_];
        next_ = (next_ + 1) % slots;
        if (used_ < slots)
            ++used_;
        e.alg = alg;
        e.kid.assign(kid);
        e.has_typ = typ.has_value();
        e.typ.assign(typ ? std::string_view(*typ) : std::string_view());
        e.b64.assign(b64);
    }

private:
    struct entry {
        algorithm alg{};
        std::string kid;
        bool has_typ = false;
        std::string typ, b64;
    };
    std::array<entry, slots> entries_;
    std::size_t used_ = 0, next_ = 0;
};

} // namespace obauth::jose::detail

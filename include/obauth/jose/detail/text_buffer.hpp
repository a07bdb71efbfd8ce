// The owned text of a verified JWS: its protected header, then its payload.
// A string that grows without filling: the verifier reserves room for both
// once (so views into the header stay put) and decodes the payload straight
// into it, where std::string would zero the room first. Public text only
// (JOSE headers and payloads), so nothing to wipe.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>

namespace obauth::jose::detail {

class text_buffer {
public:
    text_buffer() noexcept = default;

    const char* data() const noexcept { return data_.get(); }
    std::size_t size() const noexcept { return size_; }
    operator std::string_view() const noexcept { return std::string_view(data_.get(), size_); }

    /// Room for `n` octets in all; keeps the text (which moves when it grows).
    void reserve(std::size_t n) {
        if (n <= capacity_)
            return;
        std::unique_ptr<char[]> grown(new char[n]);
        if (size_ != 0)
            std::memcpy(grown.get(), data_.get(), size_);
        data_ = std::move(grown);
        capacity_ = n;
    }
    void assign(std::string_view s) {
        size_ = 0;
        append(s);
    }
    void append(std::string_view s) {
        if (!s.empty())
            std::memcpy(extend(s.size()), s.data(), s.size());
    }
    /// Grows by `n` octets left for the caller to write; returns where they start.
    char* extend(std::size_t n) {
        if (size_ + n > capacity_)
            reserve(size_ + n > 2 * capacity_ ? size_ + n : 2 * capacity_);
        char* at = data_.get() + size_;
        size_ += n;
        return at;
    }

private:
    std::unique_ptr<char[]> data_;
    std::size_t size_ = 0, capacity_ = 0;
};

} // namespace obauth::jose::detail

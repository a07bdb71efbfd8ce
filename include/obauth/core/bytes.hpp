// bytes_view: a non-owning view of octets (C++17 has no std::span), and the
// owning `bytes` vector used for non-secret binary data.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace obauth {

using bytes = std::vector<unsigned char>;

class bytes_view {
public:
    constexpr bytes_view() noexcept = default;
    constexpr bytes_view(const unsigned char* data, std::size_t size) noexcept
        : data_(data), size_(size) {}
    bytes_view(std::string_view s) noexcept
        : data_(reinterpret_cast<const unsigned char*>(s.data())), size_(s.size()) {}
    bytes_view(const std::string& s) noexcept : bytes_view(std::string_view(s)) {}
    bytes_view(const bytes& b) noexcept : data_(b.data()), size_(b.size()) {}
    template <std::size_t N>
    constexpr bytes_view(const std::array<unsigned char, N>& a) noexcept
        : data_(a.data()), size_(N) {}

    constexpr const unsigned char* data() const noexcept { return data_; }
    constexpr std::size_t size() const noexcept { return size_; }
    constexpr bool empty() const noexcept { return size_ == 0; }
    constexpr const unsigned char* begin() const noexcept { return data_; }
    constexpr const unsigned char* end() const noexcept { return data_ + size_; }
    constexpr unsigned char operator[](std::size_t i) const noexcept { return data_[i]; }

    std::string_view as_chars() const noexcept {
        return {reinterpret_cast<const char*>(data_), size_};
    }
    bytes to_bytes() const { return bytes(begin(), end()); }

private:
    const unsigned char* data_ = nullptr;
    std::size_t size_ = 0;
};

} // namespace obauth

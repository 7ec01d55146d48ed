#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// UTF-8 helpers for text that comes from browsers and users: anything recorded or sent on must be
// valid UTF-8 (the event model is JSON), whatever bytes arrived.
namespace clubsafe::agent::recording {

// Appends `text` to `out` with each invalid sequence (stray continuation bytes, overlong forms,
// surrogates, code points past U+10FFFF, truncated sequences) replaced by U+FFFD and each control
// character (U+0000–U+001F, U+007F) by a space.
void appendCleanUtf8(std::string_view text, std::string& out);

// The largest position <= `at` that does not fall inside a multi-byte sequence of `text`, so that
// text.substr(0, result) never ends halfway through a character.
[[nodiscard]] std::size_t utf8BoundaryBefore(std::string_view text, std::size_t at) noexcept;

}  // namespace clubsafe::agent::recording

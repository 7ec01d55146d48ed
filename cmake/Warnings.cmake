# Every target of ours is built with warnings as errors; sanitizers are opt-in for CI.
add_library(clubsafe_build_options INTERFACE)
target_compile_options(clubsafe_build_options INTERFACE
  -Wall -Wextra -Wpedantic -Werror -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wformat=2)

# GCC 12 at -O3 (Release) reports -Wrestrict inside std::string's operator+ where nothing can
# overlap (GCC bug 105329, fixed in GCC 13); the warning stays an error everywhere else.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(clubsafe_build_options INTERFACE $<$<CONFIG:Release>:-Wno-restrict>)
endif()

if(CLUBSAFE_SANITIZE)
  target_compile_options(clubsafe_build_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(clubsafe_build_options INTERFACE -fsanitize=address,undefined)
endif()

if(CLUBSAFE_FUZZ)
  # Coverage for libFuzzer in every library of ours, not just in the fuzz target itself.
  target_compile_options(clubsafe_build_options INTERFACE -fsanitize=fuzzer-no-link)
endif()

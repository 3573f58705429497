# Compiler launcher, warning flags and sanitizer switch for project code.

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_C_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

# Warnings apply to our own targets only (generated Cap'n Proto code and
# third-party headers are included as SYSTEM), so -Werror stays meaningful.
add_library(regatta_warnings INTERFACE)
target_compile_options(regatta_warnings INTERFACE -Wall -Wextra -Werror)

option(REGATTA_SANITIZE "Build with AddressSanitizer and UBSan" OFF)
if(REGATTA_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# ThreadSanitizer (scripts/build tsan): races between actors. Debian's CAF,
# Cap'n Proto and librdkafka are not instrumented, so what they do inside is
# invisible to it, and races it reports there are CAF's (docs/benchmarks.md).
option(REGATTA_TSAN "Build with ThreadSanitizer" OFF)
if(REGATTA_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()

# libFuzzer (scripts/fuzz): everything instrumented for coverage, ASan and
# UBSan; only tests/fuzz/ links the fuzzer's main. Needs clang (clang-14).
option(REGATTA_FUZZ "Build the libFuzzer targets (clang only)" OFF)
if(REGATTA_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

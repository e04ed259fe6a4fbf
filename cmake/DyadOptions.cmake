# Build options shared by every Dyad target.
option(DYAD_WERROR "Treat compiler warnings as errors" OFF)
set(DYAD_SANITIZE "" CACHE STRING
    "Sanitizer build: empty, 'address' (ASan+UBSan) or 'thread' (TSan)")
set_property(CACHE DYAD_SANITIZE PROPERTY STRINGS "" address thread)

option(DYAD_FUZZ "Build the libFuzzer targets of tests/fuzz instead of the tests (clang only)" OFF)
if(DYAD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "DYAD_FUZZ needs clang: CXX=clang++ cmake ... -DDYAD_FUZZ=ON")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

add_compile_options(-Wall -Wextra -Wpedantic)
if(DYAD_WERROR)
  add_compile_options(-Werror)
endif()

# Sanitizer and fuzz builds: -O1 with line tables instead of RelWithDebInfo's -O2 -g. A heavy
# source (searchd/http_server.cc under ASan+UBSan) compiles in 43 s instead of 111 s, and
# sanitizer reports still name function, file and line.
if(NOT DYAD_SANITIZE STREQUAL "" OR DYAD_FUZZ)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    set(CMAKE_CXX_FLAGS_RELWITHDEBINFO "-O1 -gline-tables-only -DNDEBUG")
  else()
    set(CMAKE_CXX_FLAGS_RELWITHDEBINFO "-O1 -g1 -DNDEBUG")
  endif()
endif()

if(DYAD_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
elseif(DYAD_SANITIZE STREQUAL "thread")
  # tsan_protobuf_abi.h: keep the layout of Debian's (uninstrumented) libprotobuf. -Wno-tsan:
  # GCC warns that TSan cannot see std::atomic_thread_fence (in Asio's handler invocation).
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer $<$<CXX_COMPILER_ID:GNU>:-Wno-tsan>
                      "SHELL:-include ${CMAKE_CURRENT_SOURCE_DIR}/cmake/tsan_protobuf_abi.h")
  add_link_options(-fsanitize=thread)
elseif(NOT DYAD_SANITIZE STREQUAL "")
  message(FATAL_ERROR "DYAD_SANITIZE must be empty, 'address' or 'thread', not '${DYAD_SANITIZE}'")
endif()

# mimalloc for dyad-index: Xapian's indexing allocates and frees many small strings and map
# nodes, and with mimalloc a 2-shard build of Reuters-21578 takes about 13% less CPU than with
# glibc's malloc (docs/indexing.md). Not with sanitizers, which bring their own allocator.
option(DYAD_MIMALLOC "Link dyad-index with mimalloc (Debian libmimalloc-dev) when it is found" ON)
set(DYAD_MALLOC_LIBRARIES "")
if(DYAD_MIMALLOC AND DYAD_SANITIZE STREQUAL "" AND NOT DYAD_FUZZ)
  find_package(mimalloc 2.0 CONFIG QUIET)
  if(mimalloc_FOUND)
    # No symbol of mimalloc is referenced: it replaces malloc by being loaded, so keep the
    # library even where the linker drops unreferenced ones (--as-needed).
    set(DYAD_MALLOC_LIBRARIES "-Wl,--push-state,--no-as-needed" mimalloc "-Wl,--pop-state")
    message(STATUS "dyad-index allocates with mimalloc ${mimalloc_VERSION}")
  else()
    message(STATUS "mimalloc not found: dyad-index allocates with the C library's malloc")
  endif()
endif()

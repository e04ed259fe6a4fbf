# Dyad::Asio: Boost.Asio (header-only) the way Dyad uses it. Included by DyadDependencies.cmake
# and, installed beside it, by DyadConfig.cmake, since the client library's header includes Asio.
# Needs Boost and Threads found first.
if(NOT TARGET Dyad::Asio)
  add_library(Dyad::Asio INTERFACE IMPORTED)
  target_link_libraries(Dyad::Asio INTERFACE Boost::boost Threads::Threads)
  target_compile_definitions(Dyad::Asio INTERFACE BOOST_ASIO_NO_DEPRECATED)
  # Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>, which g++ 12
  # in C++20 mode rejects; include it first for every user of Asio.
  target_compile_options(Dyad::Asio INTERFACE -include utility)
endif()

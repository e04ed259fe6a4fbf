# Every dependency is a Debian package (see scripts/install-deps) found here, once, as an imported
# target. Nothing is downloaded at build time.
find_package(Threads REQUIRED)

find_package(Xapian REQUIRED CONFIG)  # libxapian-dev ships xapian-config.cmake
add_library(Dyad::Xapian INTERFACE IMPORTED)
target_include_directories(Dyad::Xapian INTERFACE ${XAPIAN_INCLUDE_DIR})
target_link_libraries(Dyad::Xapian INTERFACE ${XAPIAN_LIBRARIES})

find_package(ICU 72 REQUIRED COMPONENTS uc i18n)

find_package(Boost 1.74 REQUIRED)  # Asio and Beast are header-only
add_library(Dyad::Asio INTERFACE IMPORTED)
target_link_libraries(Dyad::Asio INTERFACE Boost::boost Threads::Threads)
target_compile_definitions(Dyad::Asio INTERFACE BOOST_ASIO_NO_DEPRECATED)
# Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>, which g++ 12
# in C++20 mode rejects; include it first for every user of Asio.
target_compile_options(Dyad::Asio INTERFACE -include utility)

find_package(Protobuf 3.21 REQUIRED)

find_package(ZLIB REQUIRED)  # zlib1g-dev: gzip-compressed corpus files

find_package(GTest REQUIRED)

# Every dependency is a Debian package (see scripts/install-deps) found here, once, as an imported
# target. Nothing is downloaded at build time.
find_package(Threads REQUIRED)

find_package(Xapian REQUIRED CONFIG)  # libxapian-dev ships xapian-config.cmake
add_library(Dyad::Xapian INTERFACE IMPORTED)
target_include_directories(Dyad::Xapian INTERFACE ${XAPIAN_INCLUDE_DIR})
target_link_libraries(Dyad::Xapian INTERFACE ${XAPIAN_LIBRARIES})

find_package(ICU 72 REQUIRED COMPONENTS uc i18n)

find_package(Boost 1.74 REQUIRED)  # Asio and Beast are header-only
include(DyadAsio)  # Dyad::Asio, also installed for users of the client library

find_package(Protobuf 3.21 REQUIRED)

find_package(ZLIB REQUIRED)  # zlib1g-dev: gzip-compressed corpus files

find_package(GTest REQUIRED)

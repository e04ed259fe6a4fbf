// Force-included first in every translation unit of a TSan build (cmake/DyadOptions.cmake).
//
// Debian's libprotobuf is built without TSan, but google/protobuf/map_field.h gives
// MapFieldBase two extra members when __SANITIZE_THREAD__ is defined. Code compiled with
// -fsanitize=thread then disagrees with the library about the layout of every map field (such
// as google.protobuf.Struct's, which the enricher reads from iso-codes JSON), and crashes
// (SEGV in Map::find). Reading that header once with the macro hidden gives this code the
// library's layout; the include guard keeps it for every later inclusion. Only protobuf's own
// debug check of map-field access is lost; TSan instruments everything else as usual.
#ifndef DYAD_CMAKE_TSAN_PROTOBUF_ABI_H_
#define DYAD_CMAKE_TSAN_PROTOBUF_ABI_H_

#pragma push_macro("__SANITIZE_THREAD__")
#undef __SANITIZE_THREAD__
#include <google/protobuf/map_field.h>
#pragma pop_macro("__SANITIZE_THREAD__")

#endif  // DYAD_CMAKE_TSAN_PROTOBUF_ABI_H_

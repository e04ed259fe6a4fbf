#include "core/version.h"

namespace dyad {

// DYAD_VERSION is defined for this file only, so a new version recompiles nothing else.
const char* Version() { return DYAD_VERSION; }

}  // namespace dyad

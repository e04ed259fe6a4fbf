// Dyad's release version.
#ifndef DYAD_CORE_VERSION_H_
#define DYAD_CORE_VERSION_H_

namespace dyad {

// The version of this build, "MAJOR.MINOR.PATCH", from project(VERSION) in CMakeLists.txt. Every
// executable prints it for --version as "NAME (Dyad) VERSION".
const char* Version();

}  // namespace dyad

#endif  // DYAD_CORE_VERSION_H_

// The optional bearer token of dyad-searchd (--token-file). Both protocols check it on every
// request but health: HTTP in the Authorization header ("Bearer TOKEN"), the binary protocol in
// Envelope.token.
#ifndef DYAD_SEARCHD_AUTH_H_
#define DYAD_SEARCHD_AUTH_H_

#include <string>
#include <string_view>

#include "core/status.h"

namespace dyad {

// Reads a token file: the token is its content without surrounding white space. It must be
// 16 to 4096 visible ASCII characters (it travels in an HTTP header). InvalidArgument or
// NotFound otherwise, naming the file.
StatusOr<std::string> ReadTokenFile(const std::string& path);

// True when `given` equals `expected`. Takes the same time whatever `given` holds (it depends
// only on expected's length), so response times do not reveal how much of a guess was right.
bool TokenMatches(std::string_view given, std::string_view expected);

// The token of an Authorization header value "Bearer TOKEN" (scheme in any case); empty when
// the value is not a bearer credential.
std::string_view BearerCredential(std::string_view authorization);

}  // namespace dyad

#endif  // DYAD_SEARCHD_AUTH_H_
